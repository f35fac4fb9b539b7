package org.rigdesk.api.wire;

import java.time.Instant;
import java.util.List;

/**
 * A persistent cache ({@code GET /v1/caches}): its name (a local cache's, or a runner scope's),
 * the bytes it takes on the state disk and its cap, when a job last used it, its last commit and
 * by which job, the jobs using it now, and what recent jobs did with it ({@link Use}).
 */
public record CacheInfo(String name, long sizeBytes, long capBytes, Instant lastUsed, Instant lastCommit,
                        Long lastCommitJob, List<Long> inUseBy, List<Use> recent) {

    public CacheInfo {
        inUseBy = inUseBy == null ? List.of() : List.copyOf(inUseBy);
        recent = recent == null ? List.of() : List.copyOf(recent);
    }

    /** A job's use: {@code committed} (its layer became the cache), {@code discarded}, or {@code running}. */
    public record Use(long jobId, String outcome, String reason, Instant at) {
    }
}
