package org.rigdesk.daemon.runner;

import java.time.Instant;
import java.util.List;
import org.rigdesk.api.wire.RunnerStatus;

/** One runner slot's state. Touched only on the pool's thread. */
final class Slot {

    final String key;
    final boolean gpu;
    String state = RunnerStatus.Slot.STARTING;
    String detail;
    Instant since = Instant.now();
    String gpuBdf;
    String runnerName;
    Long runnerId;
    Long jobId;
    List<String> labels = List.of();
    /** When the runner said it listens; the offline check counts from here. */
    Instant listeningSince;
    /** When GitHub first said this slot's job is over while the VM still ran. */
    Instant completedOnGitHubSince;
    /** Consecutive VM failures: refills back off after each. */
    int failures;
    Instant retryAt = Instant.EPOCH;
    String stopReason;

    Slot(String key, boolean gpu) {
        this.key = key;
        this.gpu = gpu;
    }

    void to(String next, String why) {
        if (!next.equals(state)) {
            since = Instant.now();
        }
        state = next;
        detail = why;
    }

    boolean hasVm() {
        return jobId != null;
    }

    /** The VM ended: nothing of it is left in this slot. */
    void vacate() {
        jobId = null;
        runnerId = null;
        runnerName = null;
        gpuBdf = null;
        listeningSince = null;
        completedOnGitHubSince = null;
        stopReason = null;
    }

    RunnerStatus.Slot snapshot() {
        return new RunnerStatus.Slot(key, gpu ? "gpu" : "cpu", gpuBdf, state, runnerName, runnerId, jobId, detail,
                since, labels);
    }
}
