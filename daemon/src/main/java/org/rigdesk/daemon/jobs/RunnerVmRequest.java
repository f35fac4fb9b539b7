package org.rigdesk.daemon.jobs;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.rigdesk.api.wire.Job;
import org.rigdesk.daemon.network.EgressPolicy;

/**
 * A runner slot's VM: instead of a script, its config disk carries the runner's just-in-time
 * config ({@code jitconfig}) and, on the test image, a test job for the stand-in runner. The
 * listener hears every change of the job record, its end included. {@code egress}: what the VM may
 * reach (its registration's policy); {@code cache}: the scope's cache, whose changes {@code verdict}
 * keeps or throws away; {@code runnerDisk}: the actions runner the host keeps (an ext4 image the VM
 * gets read-only; null where the image still carries one); {@code lateCache}: an organisation's
 * runner VM has no cache at boot, and gets the one of the repository whose job it takes once that
 * job has started (null otherwise).
 */
public record RunnerVmRequest(String runnerName, List<String> gpus, int cpus, int memoryMiB,
                              Map<String, String> files, Consumer<Job> listener, EgressPolicy egress, String cache,
                              CacheVerdict verdict, java.nio.file.Path runnerDisk, LateCache lateCache) {

    /**
     * Which cache a job that started in an organisation's runner VM gets: its repository's, once
     * GitHub confirms that our runner runs that run (the VM's word counts for nothing).
     */
    public interface LateCache {
        /** The cache's name; an exception saying why the job gets none. */
        String cacheFor(Job job) throws java.io.IOException;
    }

    /** A runner VM whose cache, if any, is attached at boot. */
    public RunnerVmRequest(String runnerName, List<String> gpus, int cpus, int memoryMiB, Map<String, String> files,
                           Consumer<Job> listener, EgressPolicy egress, String cache, CacheVerdict verdict,
                           java.nio.file.Path runnerDisk) {
        this(runnerName, gpus, cpus, memoryMiB, files, listener, egress, cache, verdict, runnerDisk, null);
    }

    /** Whether a runner job's changes to the scope's cache are kept: asked of GitHub when the job ends. */
    public interface CacheVerdict {
        /** Null to keep them; otherwise why they are thrown away. */
        String refusal(Job job);
    }

    /** A runner VM without a cache. */
    public RunnerVmRequest(String runnerName, List<String> gpus, int cpus, int memoryMiB, Map<String, String> files,
                           Consumer<Job> listener, EgressPolicy egress) {
        this(runnerName, gpus, cpus, memoryMiB, files, listener, egress, null, null, null, null);
    }

    /** How long a runner VM may run once it has taken a job (GitHub's own limit is shorter). */
    public static final int JOB_TIMEOUT_SECONDS = 24 * 3600;

    public RunnerVmRequest {
        gpus = List.copyOf(gpus);
        files = Map.copyOf(files);
    }

    /** Shell assignments for a file on the config disk, quoted to survive any value. */
    public static String shellAssignments(Map<String, String> variables) {
        return ConfigDisk.exports(variables);
    }

    @Override
    public String toString() {
        return "RunnerVmRequest[runnerName=" + runnerName + ", gpus=" + gpus + ", cpus=" + cpus + ", memoryMiB="
                + memoryMiB + ", files=" + files.keySet() + "]";
    }
}
