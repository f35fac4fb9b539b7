package org.rigdesk.api.wire;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/runner}. Never holds the token: only its last four characters. {@code pool}
 * says whether the ephemeral runner slots run.
 */
public record RunnerStatus(
        boolean registered,
        String scope,
        String url,
        String apiUrl,
        List<String> labels,
        String namePrefix,
        long runnerGroupId,
        int gpuSlots,
        int cpuSlots,
        String tokenHint,
        List<Runner> runners,
        Instant lastApiContact,
        Integer rateLimitRemaining,
        String pool) {

    public RunnerStatus {
        labels = labels == null ? List.of() : List.copyOf(labels);
        runners = runners == null ? List.of() : List.copyOf(runners);
    }

    public static RunnerStatus unregistered() {
        return new RunnerStatus(false, null, null, null, List.of(), null, 0, 0, 0, null, List.of(), null, null,
                "not registered");
    }

    /** A runner of ours as GitHub lists it. */
    public record Runner(long id, String name, String status, boolean busy, List<String> labels) {
    }
}
