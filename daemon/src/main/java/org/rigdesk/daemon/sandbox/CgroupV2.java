package org.rigdesk.daemon.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Job cgroups on the unified hierarchy, as children of rigdeskd's own cgroup (systemd delegates it
 * with {@code Delegate=yes}). A cgroup that hands controllers to children may hold no process
 * itself, so the daemon first moves into a {@code daemon} child of its own; it does so only when
 * it is alone in its cgroup (under systemd), never moving processes that are not its own.
 */
final class CgroupV2 implements Cgroups {

    static final Set<String> NEEDED = Set.of("memory", "pids", "cpu");
    private static final long PERIOD_US = 100_000;

    private final Path parent;

    private CgroupV2(Path parent) {
        this.parent = parent;
    }

    static Cgroups open(Path mount, String selfCgroup) {
        String own = Cgroups.ownPath(selfCgroup, "").orElse(null);
        if (own == null) {
            return new Disabled("/proc/self/cgroup names no cgroup v2 path");
        }
        Path dir = mount.resolve(own.substring(1));
        try {
            Set<String> available = Set.of(Files.readString(dir.resolve("cgroup.controllers")).strip().split("\\s+"));
            if (!available.containsAll(NEEDED)) {
                return new Disabled("rigdeskd's cgroup " + own + " has no " + String.join(", ", NEEDED.stream()
                        .filter(c -> !available.contains(c)).sorted().toList())
                        + " controller: run it as the packaged unit does (Delegate=yes)");
            }
            Set<String> enabled = Set.of(Files.readString(dir.resolve("cgroup.subtree_control")).strip().split("\\s+"));
            if (!enabled.containsAll(NEEDED)) {
                String alone = leaveForLeaf(dir, own);
                if (alone != null) {
                    return new Disabled(alone);
                }
                Files.writeString(dir.resolve("cgroup.subtree_control"), "+memory +pids +cpu");
            }
            if (available.contains("io") && !enabled.contains("io")) {
                try {
                    Files.writeString(dir.resolve("cgroup.subtree_control"), "+io");
                } catch (IOException e) {
                    // Jobs then share the daemon's disk weight: no worse than before, not fatal.
                }
            }
            return new CgroupV2(dir);
        } catch (IOException e) {
            return new Disabled("cannot set up cgroups under " + dir + ": " + e.getMessage());
        }
    }

    /** Moves the daemon into {@code daemon/} of its cgroup; returns why not, or null. */
    private static String leaveForLeaf(Path dir, String own) throws IOException {
        long self = ProcessHandle.current().pid();
        List<String> others = Files.readAllLines(dir.resolve("cgroup.procs")).stream()
                .map(String::strip).filter(pid -> !pid.isEmpty() && !pid.equals(Long.toString(self))).toList();
        if (!others.isEmpty()) {
            return "rigdeskd shares its cgroup " + own + " with other processes (" + others.size()
                    + "): run it as the packaged unit does (Delegate=yes) for job limits";
        }
        Path leaf = dir.resolve("daemon");
        Files.createDirectories(leaf);
        Files.writeString(leaf.resolve("cgroup.procs"), Long.toString(self));
        return null;
    }

    @Override
    public JobCgroup create(String name, CgroupLimits limits) throws IOException {
        Path dir = parent.resolve(name);
        return JobCgroup.create(List.of(dir), () -> {
            Files.writeString(dir.resolve("memory.max"), Long.toString(limits.memoryBytes()));
            if (Files.exists(dir.resolve("memory.swap.max"))) {
                // Guest memory swapped out would make the limit soft, and a VFIO guest's is pinned anyway.
                Files.writeString(dir.resolve("memory.swap.max"), "0");
            }
            Files.writeString(dir.resolve("pids.max"), Integer.toString(limits.pids()));
            Files.writeString(dir.resolve("cpu.weight"), Integer.toString(limits.cpuWeight()));
            Files.writeString(dir.resolve("cpu.max"), limits.cpuMax() * PERIOD_US + " " + PERIOD_US);
            if (Files.exists(dir.resolve("io.weight"))) {
                Files.writeString(dir.resolve("io.weight"), "default " + limits.ioWeight());
            }
        });
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public String describe() {
        return "cgroup v2: memory, pids, cpu and io limits under " + parent;
    }

    @Override
    public void removeLeftovers() {
        Cgroups.removeJobDirs(parent);
    }
}
