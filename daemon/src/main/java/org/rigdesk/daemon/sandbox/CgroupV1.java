package org.rigdesk.daemon.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Job cgroups on cgroup v1's memory, pids and cpu hierarchies, each under the daemon's own cgroup
 * of that hierarchy, in a {@code rigdesk} directory. v1 has no rule against processes in inner
 * cgroups, so the daemon stays where it is.
 */
final class CgroupV1 implements Cgroups {

    private static final List<String> CONTROLLERS = List.of("memory", "pids", "cpu");
    private static final long PERIOD_US = 100_000;

    private final List<Path> parents = new ArrayList<>();

    CgroupV1(Path mount, String selfCgroup) {
        for (String controller : CONTROLLERS) {
            String own = Cgroups.ownPath(selfCgroup, controller).orElse("/");
            parents.add(mount.resolve(controller).resolve(own.substring(1)).resolve("rigdesk"));
        }
    }

    @Override
    public JobCgroup create(String name, CgroupLimits limits) throws IOException {
        List<Path> dirs = parents.stream().map(parent -> parent.resolve(name)).toList();
        return JobCgroup.create(dirs, () -> {
            Files.writeString(dirs.get(0).resolve("memory.limit_in_bytes"), Long.toString(limits.memoryBytes()));
            Files.writeString(dirs.get(1).resolve("pids.max"), Integer.toString(limits.pids()));
            Files.writeString(dirs.get(2).resolve("cpu.shares"), Long.toString(limits.cpuShares()));
            Files.writeString(dirs.get(2).resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
            Files.writeString(dirs.get(2).resolve("cpu.cfs_quota_us"), Long.toString(limits.cpuMax() * PERIOD_US));
        });
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public String describe() {
        return "cgroup v1: memory, pids and cpu limits under " + parents.get(0).getParent().getParent();
    }

    @Override
    public void removeLeftovers() {
        parents.forEach(Cgroups::removeJobDirs);
    }
}
