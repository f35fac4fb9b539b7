package org.rigdesk.daemon.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;

/**
 * One job's cgroup: a directory per hierarchy (one under cgroup v2, one per controller under v1).
 * The VMM's launcher writes its own pid into each {@code cgroup.procs} before it becomes the VMM,
 * so the limits hold from the VMM's first allocation.
 */
public record JobCgroup(List<Path> dirs) {

    private static final Logger LOG = Logger.getLogger(JobCgroup.class.getName());

    public JobCgroup {
        dirs = List.copyOf(dirs);
    }

    /** Writes a new cgroup's limits. */
    interface Limits {
        void write() throws IOException;
    }

    /** The cgroup made of {@code dirs} (created), with its limits written; removed again if a limit is refused. */
    static JobCgroup create(List<Path> dirs, Limits limits) throws IOException {
        JobCgroup cgroup = new JobCgroup(dirs);
        try {
            for (Path dir : dirs) {
                Files.createDirectories(dir);
            }
            limits.write();
        } catch (IOException e) {
            cgroup.remove();
            throw new IOException("cannot set the job's cgroup limits: " + e.getMessage(), e);
        }
        return cgroup;
    }

    public List<Path> procsFiles() {
        return dirs.stream().map(dir -> dir.resolve("cgroup.procs")).toList();
    }

    /**
     * Kills whatever is still in the cgroup (the VMM is gone, but an escaped one may have left
     * children): {@code cgroup.kill} where the kernel has it (5.14), else each pid in
     * {@code cgroup.procs}; waits a moment for them to go.
     */
    public void killAll() {
        for (Path dir : dirs) {
            try {
                Path kill = dir.resolve("cgroup.kill");
                if (Files.exists(kill)) {
                    Files.writeString(kill, "1");
                } else if (Files.exists(dir.resolve("cgroup.procs"))) {
                    for (String pid : Files.readAllLines(dir.resolve("cgroup.procs"))) {
                        if (!pid.isBlank()) {
                            ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
                        }
                    }
                }
                for (int i = 0; i < 100 && Files.exists(dir.resolve("cgroup.procs"))
                        && !Files.readString(dir.resolve("cgroup.procs")).isBlank(); i++) {
                    Thread.sleep(10);
                }
            } catch (IOException | NumberFormatException e) {
                LOG.warning("cannot end the processes left in " + dir + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Removes the directories once their processes are gone (the kernel empties them a moment after exit). */
    public void remove() {
        for (Path dir : dirs) {
            removeDir(dir);
        }
    }

    static void removeDir(Path dir) {
        for (int attempt = 0; attempt < 50 && Files.isDirectory(dir); attempt++) {
            try {
                Files.delete(dir); // rmdir: a cgroup's files are not files to delete
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (Files.isDirectory(dir)) {
            LOG.warning("cannot remove the cgroup " + dir + ": processes are still in it");
        }
    }
}
