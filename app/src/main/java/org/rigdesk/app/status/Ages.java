package org.rigdesk.app.status;

import java.time.Duration;

/** An age as a person says it: "just now", "12 s ago", "4 min ago", "3 h ago", "2 days ago". */
public final class Ages {

    private Ages() {
    }

    public static String ago(Duration age) {
        long seconds = Math.max(0, age.getSeconds());
        if (seconds < 2) {
            return "just now";
        }
        if (seconds < 60) {
            return seconds + " s ago";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min ago";
        }
        if (seconds < 2 * 86400) {
            return seconds / 3600 + " h ago";
        }
        return seconds / 86400 + " days ago";
    }
}
