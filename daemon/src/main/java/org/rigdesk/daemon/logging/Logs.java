package org.rigdesk.daemon.logging;

import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Points java.util.logging (and Jetty, through slf4j-jdk14) at stderr in journald's format. */
public final class Logs {

    private Logs() {
    }

    public static void configure(String level) {
        Level julLevel = parse(level);
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler stderr = new ConsoleHandler();
        stderr.setFormatter(new JournalFormatter());
        stderr.setLevel(julLevel);
        root.addHandler(stderr);
        root.setLevel(julLevel);
        // Jetty at info says too much for a service log; keep its warnings.
        Logger.getLogger("org.eclipse.jetty").setLevel(julLevel.intValue() < Level.INFO.intValue() ? julLevel : Level.WARNING);
    }

    public static Level parse(String level) {
        return switch (level.toLowerCase(Locale.ROOT)) {
            case "error" -> Level.SEVERE;
            case "warn", "warning" -> Level.WARNING;
            case "info" -> Level.INFO;
            case "debug" -> Level.FINE;
            case "trace" -> Level.FINEST;
            default -> throw new IllegalArgumentException(
                    "unknown log level '" + level + "': use error, warn, info, debug or trace");
        };
    }
}
