package org.rigdesk.app.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one subscription's events, delivered to view-models in batches: events queue up as they
 * arrive and each tick posts one task to the UI thread, never one per event.
 */
public class EventDispatcher {

    public record Received(String type, String data) {
    }

    private final ConcurrentLinkedQueue<Received> pending = new ConcurrentLinkedQueue<>();
    private final Map<String, List<Consumer<List<Received>>>> listeners = new ConcurrentHashMap<>();
    private final Executor ui;

    public EventDispatcher(Executor ui) {
        this.ui = ui;
    }

    public void start(ScheduledExecutorService scheduler, long tickMillis) {
        scheduler.scheduleWithFixedDelay(this::flush, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    /** Called from the network thread. */
    public void accept(String type, String data) {
        pending.add(new Received(type, data));
    }

    /** {@code listener} gets every batch's events of {@code type}, on the UI thread. */
    public void on(org.rigdesk.api.wire.EventType type, Consumer<List<Received>> listener) {
        listeners.computeIfAbsent(type.wire(), t -> new CopyOnWriteArrayList<>()).add(listener);
    }

    /** Hands what arrived since the last tick to the listeners, on the UI thread (the tick calls it; tests may too). */
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<Received> batch = new ArrayList<>();
        for (Received next; (next = pending.poll()) != null; ) {
            batch.add(next);
        }
        ui.execute(() -> {
            Map<String, List<Received>> byType = new java.util.LinkedHashMap<>();
            for (Received event : batch) {
                byType.computeIfAbsent(event.type(), t -> new ArrayList<>()).add(event);
            }
            byType.forEach((type, events) -> {
                for (Consumer<List<Received>> listener : listeners.getOrDefault(type, List.of())) {
                    listener.accept(events);
                }
            });
        });
    }
}
