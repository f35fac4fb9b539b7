package org.rigdesk.daemon.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where job VMMs get cgroups with limits: under rigdeskd's own cgroup, on the unified hierarchy
 * (cgroup v2: systemd's {@code Delegate=yes} hands the daemon its subtree) or, on hosts still on
 * the hybrid layout, on v1's memory, pids and cpu hierarchies. Without either, jobs run without
 * limits and the host check says why.
 */
public interface Cgroups {

    /** Creates the job's cgroup with its limits. */
    JobCgroup create(String name, CgroupLimits limits) throws IOException;

    /** Whether jobs get cgroups at all. */
    boolean enabled();

    /** Where jobs' cgroups are made, or why there are none: for the host check and the log. */
    String describe();

    /** At start: the job cgroups a killed daemon left behind go (their VMMs are stopped by then). */
    void removeLeftovers();

    /**
     * Reads the host's layout: {@code mount} is where cgroupfs is mounted (/sys/fs/cgroup),
     * {@code selfCgroup} the text of /proc/self/cgroup.
     */
    static Cgroups detect(Path mount, String selfCgroup, boolean root) {
        if (!root) {
            return new Disabled("rigdeskd is not root: job VMMs run in its own cgroup, without limits of their own");
        }
        if (Files.isRegularFile(mount.resolve("cgroup.controllers"))) {
            return CgroupV2.open(mount, selfCgroup);
        }
        if (Files.isDirectory(mount.resolve("memory")) && Files.isDirectory(mount.resolve("pids"))
                && Files.isDirectory(mount.resolve("cpu"))) {
            return new CgroupV1(mount, selfCgroup);
        }
        return new Disabled("no cgroup v2 and no v1 memory, pids and cpu hierarchies under " + mount);
    }

    /** The path of this process's cgroup in the hierarchy whose controllers include {@code controller} ("" for v2). */
    static Optional<String> ownPath(String selfCgroup, String controller) {
        for (String line : selfCgroup.split("\n")) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3 && (controller.isEmpty() ? parts[0].equals("0") && parts[1].isEmpty()
                    : List.of(parts[1].split(",")).contains(controller))) {
                return Optional.of(parts[2].strip());
            }
        }
        return Optional.empty();
    }

    /** Removes the {@code job-*} cgroups under {@code parent}. */
    static void removeJobDirs(Path parent) {
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(parent)) {
            dirs.filter(dir -> dir.getFileName().toString().startsWith("job-") && Files.isDirectory(dir))
                    .forEach(JobCgroup::removeDir);
        } catch (IOException e) {
            // nothing listed: nothing to remove
        }
    }

    /** No cgroups for jobs, and why. */
    record Disabled(String reason) implements Cgroups {

        @Override
        public JobCgroup create(String name, CgroupLimits limits) {
            return new JobCgroup(List.of());
        }

        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public String describe() {
            return reason;
        }

        @Override
        public void removeLeftovers() {
        }
    }
}
