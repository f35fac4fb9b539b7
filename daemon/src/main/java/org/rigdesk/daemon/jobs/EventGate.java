package org.rigdesk.daemon.jobs;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which of the guest's events a job takes, checked like API input: each at its time (no
 * {@code exit} before {@code started}, nothing after {@code exit}), each once, only the kinds the
 * job's flavour speaks (a local job or a runner slot), samples only for GPUs the job holds, and no
 * more than {@link #PER_SECOND} lines a second (bursts of {@link #BURST}). What is refused is
 * counted by reason, for the job's log; the job goes on.
 */
final class EventGate {

    /** The agent sends a sample every 2 s and a handful of events in a job's life. */
    static final int PER_SECOND = 100;
    static final int BURST = 500;

    private final boolean runner;
    private final int gpus;
    private final Map<String, Long> refused = new TreeMap<>();
    private double tokens = BURST;
    private long refilledAt;
    private boolean started;
    private boolean exited;
    private boolean listening;
    private boolean tookJob;
    private boolean result;
    private boolean gpuReport;

    EventGate(boolean runner, int gpus, long nowNanos) {
        this.runner = runner;
        this.gpus = gpus;
        this.refilledAt = nowNanos;
    }

    /** Whether one more control line may be looked at now; the flood past the rate is counted, unread. */
    boolean allowLine(long nowNanos) {
        tokens = Math.min(BURST, tokens + (nowNanos - refilledAt) * PER_SECOND / 1e9);
        refilledAt = nowNanos;
        if (tokens < 1) {
            refuse("lines past " + PER_SECOND + " a second");
            return false;
        }
        tokens--;
        return true;
    }

    /** Whether the event fits the job now; if so, the gate remembers it. */
    boolean admit(GuestEvent event) {
        if (event instanceof GuestEvent.Other) {
            return true; // a sign of life (the agent's "ready"), nothing more
        }
        if (exited) {
            return refuse("events after 'exit'");
        }
        if (event instanceof GuestEvent.Started) {
            return runner ? refuse("'started' from a runner VM") : started ? refuse("a second 'started'")
                    : (started = true);
        }
        if (event instanceof GuestEvent.Exit) {
            return !runner && !started ? refuse("'exit' before 'started'") : (exited = true);
        }
        if (event instanceof GuestEvent.Sample sample) {
            return sample.fields().path("gpus").size() > gpus ? refuse("samples for GPUs the job does not hold") : true;
        }
        if (event instanceof GuestEvent.GpuHealth) {
            return gpus == 0 ? refuse("a GPU report from a job without GPUs")
                    : gpuReport ? refuse("a second 'gpu-health'") : (gpuReport = true);
        }
        if (!runner) {
            return refuse("runner events from a local job");
        }
        if (event instanceof GuestEvent.RunnerListening) {
            return listening ? refuse("a second 'runner listening'") : (listening = true);
        }
        if (event instanceof GuestEvent.JobStarted) {
            return tookJob ? refuse("a second 'job-started'") : (tookJob = true);
        }
        return !tookJob ? refuse("'job-result' before 'job-started'") : result ? refuse("a second 'job-result'")
                : (result = true);
    }

    private boolean refuse(String reason) {
        refused.merge(reason, 1L, Long::sum);
        return false;
    }

    /** What was refused, e.g. "2 × a second 'exit', 1 × 'exit' before 'started'"; empty when nothing was. */
    Optional<String> summary() {
        if (refused.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder();
        refused.forEach((reason, count) -> text.append(text.length() == 0 ? "" : ", ").append(count).append(" × ")
                .append(reason));
        return Optional.of(text.toString());
    }
}
