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

    /** What a cache's name may be (it names a directory under the daemon's state): daemon and clients check it. */
    public static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("^[a-z0-9][a-z0-9._-]{0,63}$");

    public CacheInfo {
        inUseBy = inUseBy == null ? List.of() : List.copyOf(inUseBy);
        recent = recent == null ? List.of() : List.copyOf(recent);
    }

    /**
     * A job's use: {@code committed} (its layer became the cache), {@code discarded}, or {@code running};
     * {@code warm}: it started on what an earlier job kept (a hit; cold, a miss); {@code writtenBytes}:
     * what it wrote into its layer, known once it ended (null before, and for uses older than the field).
     */
    public record Use(long jobId, String outcome, String reason, Instant at, Boolean warm, Long writtenBytes) {

        public Use(long jobId, String outcome, String reason, Instant at) {
            this(jobId, outcome, reason, at, null, null);
        }

        /** A hit: the job found a kept cache. */
        public boolean hit() {
            return Boolean.TRUE.equals(warm);
        }
    }

    /** Of the recent uses: how many found a kept cache. */
    public long hits() {
        return recent.stream().filter(Use::hit).count();
    }

    /** Of the recent uses: how many started on an empty cache. */
    public long misses() {
        return recent.stream().filter(use -> Boolean.FALSE.equals(use.warm())).count();
    }
}
