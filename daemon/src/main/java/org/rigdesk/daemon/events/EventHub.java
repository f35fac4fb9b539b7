package org.rigdesk.daemon.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.rigdesk.api.wire.EventType;
import org.rigdesk.api.wire.Json;

/**
 * Fans events out to every subscriber. Publishing never blocks: each subscriber has its own
 * bounded queue, and a subscriber that falls behind loses its oldest events (and is told how
 * many), so one slow window cannot delay the others or grow the daemon's memory.
 */
public class EventHub {

    private static final Logger LOG = Logger.getLogger(EventHub.class.getName());
    public static final int DEFAULT_QUEUE = 1024;

    private final Set<Subscription> subscribers = ConcurrentHashMap.newKeySet();
    private final int queueCapacity;
    private volatile boolean closed;

    public EventHub() {
        this(DEFAULT_QUEUE);
    }

    public EventHub(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    public Subscription subscribe() {
        Subscription subscription = new Subscription(this, queueCapacity);
        if (closed) {
            subscription.close();
        } else {
            subscribers.add(subscription);
        }
        return subscription;
    }

    /** Sends an event of the catalogue ({@link EventType}) to every subscriber. */
    public void publish(EventType type, Object payload) {
        String data;
        try {
            data = Json.mapper().writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            LOG.warning("event " + type + " could not be serialised: " + e.getMessage());
            return;
        }
        Event event = new Event(type.wire(), data);
        for (Subscription subscription : subscribers) {
            subscription.offer(event);
        }
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    void remove(Subscription subscription) {
        subscribers.remove(subscription);
    }

    /** Ends every stream (daemon shutdown). */
    public void close() {
        closed = true;
        for (Subscription subscription : subscribers) {
            subscription.close();
        }
        subscribers.clear();
    }
}
