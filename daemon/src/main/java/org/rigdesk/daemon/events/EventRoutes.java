package org.rigdesk.daemon.events;

import java.time.Duration;
import org.rigdesk.daemon.http.Router;

/** {@code GET /v1/events}: the catalogue's events as Server-Sent Events. */
public final class EventRoutes {

    private EventRoutes() {
    }

    public static void register(Router router, EventHub events, Duration heartbeat) {
        router.add("GET", "/v1/events", new EventsEndpoint(events, heartbeat));
    }
}
