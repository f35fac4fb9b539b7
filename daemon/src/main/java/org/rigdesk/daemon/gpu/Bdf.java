package org.rigdesk.daemon.gpu;

import java.util.regex.Pattern;
import org.rigdesk.daemon.problems.DomainException;

/**
 * A PCI address, domain:bus:device.function, in the kernel's lower-case form. The only way a
 * device name reaches a sysfs path or a command line: nothing else passes {@link #parse}.
 */
public record Bdf(String value) {

    /** Exactly this shape and nothing else goes through: the address becomes a sysfs path. */
    public static final Pattern PATTERN = Pattern.compile("^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]$");

    public Bdf {
        if (value == null || !PATTERN.matcher(value).matches()) {
            throw new IllegalArgumentException("not a PCI address (expected dddd:bb:ss.f, lower-case hex): "
                    + printable(value));
        }
    }

    public static Bdf parse(String value) {
        return new Bdf(value);
    }

    /** An address as a request names it, parsed once at the route; a malformed one is the caller's 400. */
    public static Bdf fromRequest(String value) {
        if (!isValid(value)) {
            throw DomainException.invalid(invalidText(value));
        }
        return new Bdf(value);
    }

    public static boolean isValid(String value) {
        return value != null && PATTERN.matcher(value).matches();
    }

    /** domain:bus:slot, shared by the functions of one card. */
    public String slot() {
        return value.substring(0, value.length() - 2);
    }

    public int function() {
        return value.charAt(value.length() - 1) - '0';
    }

    @Override
    public String toString() {
        return value;
    }

    /** What the API answers a malformed address with (the address quoted as {@link #printable} does). */
    public static String invalidText(String value) {
        return "not a PCI address: " + printable(value) + " (expected dddd:bb:ss.f in lower-case hex, e.g. 0000:01:00.0)";
    }

    /** Quotes user input for an error message without letting control characters through. */
    public static String printable(String value) {
        if (value == null) {
            return "null";
        }
        String cut = value.length() > 64 ? value.substring(0, 64) + "…" : value;
        return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
