package org.rigdesk.daemon.runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that runs {@code rate} times faster than the system's from the moment it is made. Only
 * fault tests use a rate above 1 (a hidden flag): ten minutes of GitHub outage, with the back-off
 * and grace periods they exercise, then pass in ten seconds.
 */
public final class FastClock extends Clock {

    private final Instant start = Instant.now();
    private final long startNanos = System.nanoTime();
    private final int rate;

    private FastClock(int rate) {
        this.rate = rate;
    }

    /** The system clock for rate 1; otherwise a sped-up one. */
    public static Clock of(int rate) {
        if (rate < 1) {
            throw new IllegalArgumentException("the clock rate must be at least 1, not " + rate);
        }
        return rate == 1 ? Clock.systemUTC() : new FastClock(rate);
    }

    @Override
    public Instant instant() {
        return start.plus(Duration.ofNanos((System.nanoTime() - startNanos) * rate));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a fast clock is UTC only");
    }
}
