package org.rigdesk.daemon.runner;

import java.time.Duration;
import java.time.Instant;
import org.rigdesk.daemon.github.GitHubException;

/**
 * When the pool may call GitHub again: after Retry-After or a spent rate limit, GitHub's own
 * time; after 5xx or a network error, 5 s doubling to 5 min. Any success resets it.
 */
final class GitHubBackoff {

    static final Duration FIRST = Duration.ofSeconds(5);
    static final Duration LONGEST = Duration.ofMinutes(5);

    private Instant blockedUntil = Instant.EPOCH;
    private int failures;
    private String reason;

    boolean blocked(Instant now) {
        return now.isBefore(blockedUntil);
    }

    void succeeded() {
        failures = 0;
        reason = null;
        blockedUntil = Instant.EPOCH;
    }

    /** Records a failed call and returns how long to wait. */
    Duration failed(Exception e, Instant now) {
        failures++;
        Duration wait;
        if (e instanceof GitHubException gh && gh.retryAfter() != null) {
            wait = gh.retryAfter();
        } else {
            wait = doubling(failures);
        }
        blockedUntil = now.plus(wait);
        reason = e.getMessage();
        return wait;
    }

    /** 5 s after the first failure, doubling with each in a row, at most 5 min. */
    static Duration doubling(int failures) {
        long seconds = FIRST.toSeconds() << Math.min(Math.max(failures, 1) - 1, 10);
        return Duration.ofSeconds(Math.min(seconds, LONGEST.toSeconds()));
    }

    /** Null while GitHub answers; otherwise what went wrong and when the next try is. */
    String describe(Instant now) {
        if (reason == null) {
            return null;
        }
        long seconds = Math.max(0, Duration.between(now, blockedUntil).toSeconds());
        return "backing off: " + reason + " (" + failures + (failures == 1 ? " failure" : " failures in a row")
                + (seconds > 0 ? "; next try in " + seconds + " s)" : "; trying again)");
    }
}
