package org.rigdesk.daemon.lending;

import org.rigdesk.api.wire.GpuLending;
import org.rigdesk.api.wire.LendingRequest;

/** What the owner may ask a card's lending to be ({@code PUT /v1/gpus/{bdf}/lending}), checked. */
final class LendingPolicies {

    private static final int MIN_IDLE = 30;
    private static final int MAX_IDLE = 86_400;

    private LendingPolicies() {
    }

    /** The owner's request as a policy to store; what does not fit is an IllegalArgumentException saying why. */
    static LendingStore.Policy of(LendingRequest request) {
        if (request == null || request.policy() == null) {
            throw new IllegalArgumentException("policy is required: ci, desk, on-demand or schedule");
        }
        if (!GpuLending.POLICIES.contains(request.policy())) {
            throw new IllegalArgumentException("policy must be ci, desk, on-demand or schedule, got '"
                    + request.policy().replaceAll("\\p{Cntrl}", "?") + "'");
        }
        int idle = request.idleSeconds() == null ? GpuLending.DEFAULT_IDLE_SECONDS : request.idleSeconds();
        if (idle < MIN_IDLE || idle > MAX_IDLE) {
            throw new IllegalArgumentException("idleSeconds must be between " + MIN_IDLE + " and " + MAX_IDLE);
        }
        boolean schedule = GpuLending.SCHEDULE.equals(request.policy());
        if (!schedule && request.schedule() != null && !request.schedule().isEmpty()) {
            throw new IllegalArgumentException("schedule windows belong to the schedule policy only");
        }
        return new LendingStore.Policy(request.policy(), schedule ? LendingSchedule.parse(request.schedule()) : null,
                idle);
    }

    /** A policy in the audit log's words. */
    static String describe(LendingStore.Policy policy) {
        return switch (policy.policy()) {
            case GpuLending.SCHEDULE -> "schedule " + policy.windows().stream()
                    .map(w -> String.join(",", w.days()) + " " + w.from() + "-" + w.to() + " " + w.policy()).toList();
            case GpuLending.ON_DEMAND -> "on-demand, back after " + policy.idleSeconds() + " s without a job";
            default -> policy.policy();
        };
    }
}
