package org.rigdesk.api.wire;

import java.time.Instant;
import java.util.List;

/**
 * A job as the API reports it. States: queued, booting, ready (a runner slot's VM whose runner
 * listens for GitHub to hand it a job), running, succeeded, failed, cancelled, timed-out, lost.
 * GitHub jobs (kind {@code github}) also carry repository, workflow, job name, run id and attempt.
 */
public record Job(
        long id,
        String kind,
        String name,
        String state,
        List<String> gpus,
        boolean gpusSimulated,
        String vmm,
        String accel,
        int cpus,
        int memoryMiB,
        int timeoutSeconds,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Integer exitCode,
        long logBytes,
        String error,
        String repository,
        String workflow,
        String jobName,
        Long runId,
        Integer runAttempt) {

    public static final String KIND_LOCAL = "local";
    public static final String KIND_GITHUB = "github";

    public Job {
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }

    public boolean finished() {
        return JobState.of(state).map(JobState::finished).orElse(true);
    }

    /** Whether the job is in {@code state} (the wire says the state as a string, for clients that may not know a new one). */
    public boolean is(JobState state) {
        return state.wire().equals(this.state);
    }

    /** A VM works on it: booting or running. Queued jobs and idle runner VMs ({@code ready}) are not. */
    public boolean active() {
        return is(JobState.BOOTING) || is(JobState.RUNNING);
    }
}
