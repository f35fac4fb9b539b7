package org.rigdesk.app;

import java.lang.management.ManagementFactory;

/**
 * The window's start in phases, for AppBench ({@code -Drigdesk.bench.trace=true}): each mark prints
 * {@code rigdesk-trace NAME MS}, milliseconds since the JVM started. Off (and free) unless set.
 */
public final class StartTrace {

    private static final boolean ON = Boolean.getBoolean("rigdesk.bench.trace");

    private StartTrace() {
    }

    public static void mark(String phase) {
        if (ON) {
            long since = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            System.out.println("rigdesk-trace " + phase + " " + since);
        }
    }
}
