package org.rigdesk.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document ({@code application/problem+json}): every error the daemon
 * returns has this shape. {@code type} is a stable URI whose last path segment is the machine
 * code (e.g. {@code .../boot-vga}); {@code remedy} tells the user what to do, where one exists.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String remedy) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://rigdesk.org/problems/";

    public static Problem of(int status, String code, String title, String detail, String remedy) {
        return new Problem(TYPE_BASE + code, title, status, detail, remedy);
    }

    /** The machine code: the last segment of {@link #type()}. */
    public String code() {
        if (type == null) {
            return "about:blank";
        }
        int slash = type.lastIndexOf('/');
        return slash < 0 ? type : type.substring(slash + 1);
    }
}
