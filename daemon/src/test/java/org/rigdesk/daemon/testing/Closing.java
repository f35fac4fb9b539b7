package org.rigdesk.daemon.testing;

/** Closes what a test class started, in order, skipping what never started (its set-up was cut short). */
public final class Closing {

    private Closing() {
    }

    public static void all(AutoCloseable... things) throws Exception {
        for (AutoCloseable thing : things) {
            if (thing != null) {
                thing.close();
            }
        }
    }
}
