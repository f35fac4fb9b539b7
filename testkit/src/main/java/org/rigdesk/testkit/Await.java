package org.rigdesk.testkit;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** Polls a condition until it holds or the time is up (then the test fails, saying so). */
public final class Await {

    private Await() {
    }

    public static void until(BooleanSupplier condition, int seconds) throws InterruptedException {
        until(condition, seconds, "condition");
    }

    public static void until(BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not met within " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }

    /** Polls {@code source} until {@code test} accepts its value; fails with the last value seen. */
    public static <T> T value(Callable<T> source, Predicate<T> test, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        T last;
        while (!test.test(last = source.call())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not met within " + seconds + " s; last seen: " + last);
            }
            Thread.sleep(100);
        }
        return last;
    }
}
