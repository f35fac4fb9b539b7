package org.rigdesk.api.wire;

import java.time.Instant;
import java.util.List;

/**
 * Whom a GPU is lent to ({@code Gpu.lending}): the owner's {@code policy} — {@code ci} (a warm
 * runner slot holds it), {@code desk} (never lent), {@code on-demand} (on the host until a queued
 * GitHub job asks for it) or {@code schedule} (weekly windows of ci or on-demand, desk outside) —
 * with {@code effective}, what the policy means now, and {@code state}, where the card is on its
 * way ({@link LendingState}); {@code detail} says it in a sentence, {@code jobId} is the job it
 * moves for or waits on, {@code nextChange} and {@code nextPolicy} the schedule's next switch.
 */
public record GpuLending(
        String policy,
        List<LendingWindow> schedule,
        int idleSeconds,
        String effective,
        String state,
        String detail,
        Long jobId,
        Instant since,
        Instant nextChange,
        String nextPolicy) {

    public static final String CI = "ci";
    public static final String DESK = "desk";
    public static final String ON_DEMAND = "on-demand";
    public static final String SCHEDULE = "schedule";
    public static final List<String> POLICIES = List.of(CI, DESK, ON_DEMAND, SCHEDULE);
    /** How long an on-demand runner waits for its job before the card goes home. */
    public static final int DEFAULT_IDLE_SECONDS = 300;

    public GpuLending {
        schedule = schedule == null ? List.of() : List.copyOf(schedule);
    }

    /** Whether the card is at this step of its way; a state this build does not know is none of them. */
    public boolean is(LendingState step) {
        return step.wire().equals(state);
    }
}
