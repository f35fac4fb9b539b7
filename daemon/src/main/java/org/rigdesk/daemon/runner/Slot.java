package org.rigdesk.daemon.runner;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.api.wire.SlotState;

/** One runner slot's state, timed on the pool's clock. Touched only on the pool's thread. */
final class Slot {

    final String key;
    final boolean gpu;
    private final Clock clock;
    SlotState state = SlotState.STARTING;
    String detail;
    Instant since;
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
    /** An on-demand slot: the card lent for it, the queued GitHub job it was made for, that job in words. */
    String pinned;
    Long forQueuedJob;
    String forWords;

    /** A slot made for one queued job, on the on-demand card lent for it; it ends with its VM. */
    static Slot onDemand(String bdf, long queuedJob, String words, Clock clock) {
        Slot slot = new Slot("od-" + bdf.replaceAll("[^0-9a-f]", "").substring(4), true, clock);
        slot.pinned = bdf;
        slot.forQueuedJob = queuedJob;
        slot.forWords = words;
        return slot;
    }

    Slot(String key, boolean gpu, Clock clock) {
        this.key = key;
        this.gpu = gpu;
        this.clock = clock;
        this.since = clock.instant();
    }

    /** Moves to {@code next}; {@code since} changes only with the state, not with the detail. */
    void to(SlotState next, String why) {
        if (next != state) {
            since = clock.instant();
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
        return new RunnerStatus.Slot(key, gpu ? "gpu" : "cpu", gpuBdf != null ? gpuBdf : pinned, state.wire(), runnerName,
                runnerId, jobId, detail, since, labels);
    }
}
