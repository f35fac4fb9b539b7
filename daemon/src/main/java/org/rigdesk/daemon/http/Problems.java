package org.rigdesk.daemon.http;

import org.rigdesk.api.wire.Problem;
import org.rigdesk.daemon.problems.DomainException;

/** The one place where a capability's {@link DomainException} becomes an HTTP status and a problem document. */
public final class Problems {

    private Problems() {
    }

    public static int status(DomainException.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case REFUSED -> 409;
            case FAILED -> 500;
            case UPSTREAM -> 502;
            case UNAVAILABLE -> 503;
        };
    }

    public static Problem of(DomainException e) {
        return Problem.of(status(e.kind()), e.code(), e.title(), e.detail(), e.remedy());
    }
}
