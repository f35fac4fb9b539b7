package org.rigdesk.app.format;

import java.util.Locale;

/** A byte count as people read it: "812 B", "3.3 MiB" (binary units, one decimal). */
public final class ByteSize {

    private ByteSize() {
    }

    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes / 1024.0;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
