package org.rigdesk.daemon.problems;

import org.rigdesk.api.wire.ProblemCode;
/**
 * Why a capability (vfio, jobs, runner, settings, telemetry, store) did not do what it was asked,
 * in its own terms: the request was invalid, the thing was not found, the capability refused (with
 * a code and a remedy), or it failed on our side, upstream (GitHub) or for want of a tool.
 * Capabilities know nothing of HTTP: the API maps each {@link Kind} to a status in one place
 * ({@code org.rigdesk.daemon.http.Problems}).
 */
public final class DomainException extends RuntimeException {

    /** What went wrong, which the API turns into a status code. */
    public enum Kind {
        /** The request itself is wrong (a field, a value): asking again the same way will not help. */
        INVALID,
        /** What the request names does not exist. */
        NOT_FOUND,
        /** The capability will not do it now (a GPU in use, a queue full, a card on the wrong driver). */
        REFUSED,
        /** It failed on our side (the state disk, a stuck kernel). */
        FAILED,
        /** A service we depend on (GitHub) failed or could not be reached. */
        UPSTREAM,
        /** A tool we depend on (nvidia-smi) is not available now. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final String code;
    private final String title;
    private final String remedy;

    public DomainException(Kind kind, String code, String title, String detail, String remedy) {
        super(detail, null, false, false);
        this.kind = kind;
        this.code = code;
        this.title = title;
        this.remedy = remedy;
    }

    public static DomainException invalid(String detail) {
        return new DomainException(Kind.INVALID, ProblemCode.BAD_REQUEST, "Bad request", detail, null);
    }

    public static DomainException invalid(String code, String title, String detail, String remedy) {
        return new DomainException(Kind.INVALID, code, title, detail, remedy);
    }

    public static DomainException notFound(String detail) {
        return new DomainException(Kind.NOT_FOUND, ProblemCode.NOT_FOUND, "Not found", detail, null);
    }

    public static DomainException refused(String code, String detail, String remedy) {
        return new DomainException(Kind.REFUSED, code, "Refused", detail, remedy);
    }

    public static DomainException refused(String code, String title, String detail, String remedy) {
        return new DomainException(Kind.REFUSED, code, title, detail, remedy);
    }

    public static DomainException failed(String code, String title, String detail, String remedy) {
        return new DomainException(Kind.FAILED, code, title, detail, remedy);
    }

    public static DomainException upstream(String code, String title, String detail, String remedy) {
        return new DomainException(Kind.UPSTREAM, code, title, detail, remedy);
    }

    public static DomainException unavailable(String code, String title, String detail, String remedy) {
        return new DomainException(Kind.UNAVAILABLE, code, title, detail, remedy);
    }

    /** A value from a request, quoted for a detail: see {@link #shorten}. */
    public static String quote(String value) {
        return "'" + shorten(value) + "'";
    }

    /** A value from a request as a detail shows it: cut short, control characters shown as '?'. */
    public static String shorten(String value) {
        String cut = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public String remedy() {
        return remedy;
    }
}
