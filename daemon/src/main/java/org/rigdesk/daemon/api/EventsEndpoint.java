package org.rigdesk.daemon.api;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.rigdesk.daemon.events.Event;
import org.rigdesk.daemon.events.EventHub;
import org.rigdesk.daemon.events.Subscription;

/**
 * {@code GET /v1/events}: Server-Sent Events. A comment line every heartbeat keeps proxies and
 * clients from timing out and tells us quickly when a client has gone.
 */
public class EventsEndpoint implements Endpoint {

    private final EventHub hub;
    private final Duration heartbeat;

    public EventsEndpoint(EventHub hub, Duration heartbeat) {
        this.hub = hub;
        this.heartbeat = heartbeat;
    }

    @Override
    public void handle(Exchange exchange) throws IOException {
        exchange.startStream("text/event-stream; charset=utf-8");
        try (Subscription subscription = hub.subscribe()) {
            exchange.writeChunk(": rigdeskd events\n\n");
            while (true) {
                Event event = subscription.next(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                long dropped = subscription.takeDropped();
                if (dropped > 0) {
                    exchange.writeChunk(new Event("dropped", "{\"count\":" + dropped + "}").toWire());
                }
                exchange.writeChunk(event == null ? ": heartbeat\n\n" : event.toWire());
            }
        } catch (Subscription.ClosedException closed) {
            exchange.endStream(null);
        } catch (IOException clientGone) {
            exchange.endStream(clientGone);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.endStream(e);
        }
    }
}
