package org.rigdesk.daemon.http;

import org.rigdesk.api.wire.Problem;
import org.rigdesk.api.wire.ProblemCode;
import org.rigdesk.daemon.problems.DomainException;

/** Thrown by an endpoint to answer with a problem document instead of a result. */
public class ApiException extends RuntimeException {

    private final transient Problem problem;

    public ApiException(int status, String code, String title, String detail, String remedy) {
        super(detail, null, false, false);
        this.problem = Problem.of(status, code, title, detail, remedy);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, ProblemCode.BAD_REQUEST, "Bad request", detail, null);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, ProblemCode.NOT_FOUND, "Not found", detail, null);
    }

    public static ApiException conflict(String code, String detail, String remedy) {
        return new ApiException(409, code, "Refused", detail, remedy);
    }

    /** A value from the request, quoted for a problem's detail (the capabilities' one way). */
    public static String quote(String value) {
        return DomainException.quote(value);
    }

    /** A value from the request as a problem's detail shows it: cut short, control characters shown as '?'. */
    public static String shorten(String value) {
        return DomainException.shorten(value);
    }

    public Problem problem() {
        return problem;
    }
}
