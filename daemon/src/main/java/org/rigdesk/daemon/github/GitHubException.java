package org.rigdesk.daemon.github;

import java.io.IOException;
import java.time.Duration;

/** GitHub answered with an error: its status, its message, and how long to wait when it says so. */
public class GitHubException extends IOException {

    private final int status;
    private final Duration retryAfter;

    public GitHubException(int status, String message, Duration retryAfter) {
        super("GitHub answered " + status + ": " + message);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    /** Set for rate limits (Retry-After, or X-RateLimit-Reset when none is left) and 5xx with Retry-After. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public boolean badToken() {
        return status == 401;
    }

    public boolean rateLimited() {
        return retryAfter != null && (status == 403 || status == 429);
    }
}
