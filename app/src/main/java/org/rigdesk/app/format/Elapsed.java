package org.rigdesk.app.format;

import java.time.Duration;
import java.time.Instant;
import org.rigdesk.api.wire.Job;

/** How long a job has run, written the same way in the window, the CLI and notifications. */
public final class Elapsed {

    private Elapsed() {
    }

    /** Start to finish, or to now while it runs; null before it starts. */
    public static Duration of(Job job) {
        if (job.startedAt() == null) {
            return null;
        }
        return Duration.between(job.startedAt(), job.finishedAt() == null ? Instant.now() : job.finishedAt());
    }

    /** For tables: {@code 8.2s}, {@code 3m05s}, {@code 1h02m}; {@code -} before the job starts. */
    public static String compact(Job job) {
        Duration d = of(job);
        if (d == null) {
            return "-";
        }
        long s = Math.max(0, d.toSeconds());
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : String.format("%.1fs", d.toMillis() / 1000.0);
    }

    /** For sentences: {@code 42 s}, {@code 3 min 5 s}, {@code 1 h 2 min}. */
    public static String words(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        return seconds < 60 ? seconds + " s" : seconds < 3600 ? seconds / 60 + " min " + seconds % 60 + " s"
                : seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}
