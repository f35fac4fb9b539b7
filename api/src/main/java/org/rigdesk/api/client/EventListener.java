package org.rigdesk.api.client;

/** Receives the daemon's Server-Sent Events ({@code GET /v1/events}), on an OkHttp thread. */
public interface EventListener {

    default void onOpen() {
    }

    /** One event: its SSE {@code event:} name (gpu, sample, job, runner) and its JSON data. */
    void onEvent(String type, String data);

    /** The stream ended: {@code failure} is null when it closed cleanly. */
    void onClosed(Throwable failure);
}
