package org.rigdesk.daemon.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.rigdesk.daemon.http.Endpoint;
import org.rigdesk.daemon.http.Exchange;

/**
 * {@code GET /v1/events}: Server-Sent Events. A comment line every heartbeat keeps proxies and
 * clients from timing out and tells us quickly when a client has gone.
 */
class EventsEndpoint implements Endpoint {

    private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final int BATCH = 64;

    private final EventHub hub;
    private final Duration heartbeat;

    EventsEndpoint(EventHub hub, Duration heartbeat) {
        this.hub = hub;
        this.heartbeat = heartbeat;
    }

    @Override
    public void handle(Exchange exchange) throws IOException {
        exchange.startLongStream("text/event-stream; charset=utf-8");
        try (Subscription subscription = hub.subscribe()) {
            exchange.writeChunk(": rigdeskd events\n\n");
            ByteArrayOutputStream chunk = new ByteArrayOutputStream(8192);
            while (true) {
                List<Event> events = subscription.nextBatch(heartbeat.toMillis(), TimeUnit.MILLISECONDS, BATCH);
                chunk.reset();
                long dropped = subscription.takeDropped();
                if (dropped > 0) {
                    chunk.writeBytes(new Event("dropped", "{\"count\":" + dropped + "}").wireBytes());
                }
                if (events.isEmpty()) {
                    chunk.writeBytes(HEARTBEAT);
                }
                for (Event event : events) {
                    chunk.writeBytes(event.wireBytes());
                }
                // One write and flush per burst, not per event: with a hundred subscribers on a few
                // cores, per-event flushes queued the last subscriber behind hundreds of others.
                exchange.writeChunk(chunk.toByteArray(), chunk.size());
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
