package org.rigdesk.daemon.events;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** One subscriber's bounded queue of events. */
public final class Subscription implements AutoCloseable {

    private static final Event END = new Event("", "");

    private final EventHub hub;
    private final BlockingQueue<Event> queue;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    Subscription(EventHub hub, int capacity) {
        this.hub = hub;
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
    }

    void offer(Event event) {
        if (closed) {
            return;
        }
        // Keep one slot free for END so close() always gets through.
        while (queue.remainingCapacity() <= 1) {
            if (queue.poll() != null) {
                dropped.incrementAndGet();
            }
        }
        queue.offer(event);
    }

    /**
     * Waits up to {@code timeout} for the next event: returns null on timeout (send a heartbeat),
     * throws {@link ClosedException} once the hub or this subscription closed.
     */
    public Event next(long timeout, TimeUnit unit) throws InterruptedException, ClosedException {
        if (closed && queue.isEmpty()) {
            throw new ClosedException();
        }
        Event event = queue.poll(timeout, unit);
        if (event == END) {
            throw new ClosedException();
        }
        return event;
    }

    /**
     * Like {@link #next}, then takes whatever else is already queued, up to {@code max} events in
     * all: a burst (8 GPUs' samples) goes out in one write. Empty on timeout.
     */
    public List<Event> nextBatch(long timeout, TimeUnit unit, int max) throws InterruptedException, ClosedException {
        Event first = next(timeout, unit);
        if (first == null) {
            return List.of();
        }
        List<Event> batch = new ArrayList<>();
        batch.add(first);
        queue.drainTo(batch, max - 1);
        int end = batch.indexOf(END);
        if (end >= 0) {
            batch.subList(end, batch.size()).clear();
            queue.clear();
            queue.offer(END); // the next call ends the stream
        }
        return batch;
    }

    /** Events this subscriber lost because it read too slowly; reset by the call. */
    public long takeDropped() {
        return dropped.getAndSet(0);
    }

    public int queued() {
        return queue.size();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            hub.remove(this);
            queue.offer(END);
        }
    }

    /** The stream has ended. */
    public static final class ClosedException extends Exception {
        ClosedException() {
            super("event stream closed", null, false, false);
        }
    }
}
