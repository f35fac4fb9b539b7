package org.rigdesk.daemon.telemetry;

import java.util.Locale;
import java.util.Set;

/** The value forms nvidia-smi and rocm-smi print: numbers, units by mistake, and every "absent" marker. */
final class SmiValues {

    private static final Set<String> ABSENT = Set.of("", "n/a", "[n/a]", "[not supported]", "not supported",
            "[insufficient permissions]", "[unknown error]", "[gpu is lost]", "[requires reset]", "unknown");

    private SmiValues() {
    }

    static boolean isAbsent(String raw) {
        return raw == null || ABSENT.contains(raw.strip().toLowerCase(Locale.ROOT));
    }

    /** "45", "45 %", "120.50 W", "1024 MiB", "1800 MHz" → the number; absent markers → null. */
    static Double number(String raw) {
        if (isAbsent(raw)) {
            return null;
        }
        String value = raw.strip();
        int end = 0;
        while (end < value.length() && (Character.isDigit(value.charAt(end)) || value.charAt(end) == '.'
                || (end == 0 && value.charAt(end) == '-'))) {
            end++;
        }
        if (end == 0) {
            throw new IllegalArgumentException("not a number: '" + value + "'");
        }
        String unit = value.substring(end).strip();
        if (!unit.isEmpty() && !unit.matches("(?i)%|W|MiB|MHz|C|GB|MB|KiB")) {
            throw new IllegalArgumentException("not a number: '" + value + "'");
        }
        double number = Double.parseDouble(value.substring(0, end));
        if (unit.equalsIgnoreCase("GB")) {
            return number * 1024;
        }
        return number;
    }

    static String text(String raw) {
        return isAbsent(raw) ? null : raw.strip();
    }

    /** nvidia-smi's "00000000:01:00.0" (or upper case) → the kernel's "0000:01:00.0"; null if not a bus id. */
    static String busId(String raw) {
        if (raw == null) {
            return null;
        }
        String value = raw.strip().toLowerCase(Locale.ROOT);
        if (!value.matches("^([0-9a-f]{4}|[0-9a-f]{8}):[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]$")) {
            return null;
        }
        return value.length() == 16 ? value.substring(4) : value;
    }
}
