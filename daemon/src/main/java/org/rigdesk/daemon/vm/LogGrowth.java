package org.rigdesk.daemon.vm;

/**
 * A signal that some job's log grew (or a job ended): followers of a log wait on it instead of
 * looking at the file every few milliseconds, so a following client gets bytes as soon as the
 * console pump wrote them and costs nothing while the guest is quiet. One for the daemon: a
 * wake-up only makes a follower look at its file's size again.
 */
public final class LogGrowth {

    private long generation;

    /** Bytes were written to a log, or a job ended. */
    public synchronized void signal() {
        generation++;
        notifyAll();
    }

    /** The signal's count now: read before looking at the file, handed to {@link #awaitAfter}. */
    public synchronized long generation() {
        return generation;
    }

    /** Waits until a signal after {@code seen} or {@code millis} pass (a follower looks again either way). */
    public synchronized void awaitAfter(long seen, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (long left = millis; generation == seen && left > 0; left = (deadline - System.nanoTime()) / 1_000_000) {
            wait(left);
        }
    }
}
