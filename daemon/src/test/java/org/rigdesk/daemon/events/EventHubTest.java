package org.rigdesk.daemon.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.EventType;

class EventHubTest {

    @Test
    void everySubscriberGetsEveryEventInOrder() throws Exception {
        EventHub hub = new EventHub();
        Subscription a = hub.subscribe();
        Subscription b = hub.subscribe();
        hub.publish(EventType.JOB, Map.of("id", 1));
        hub.publish(EventType.JOB, Map.of("id", 2));
        for (Subscription s : new Subscription[] {a, b}) {
            assertEquals("{\"id\":1}", s.next(1, TimeUnit.SECONDS).data());
            assertEquals("{\"id\":2}", s.next(1, TimeUnit.SECONDS).data());
            assertNull(s.next(10, TimeUnit.MILLISECONDS), "nothing more: a heartbeat is due");
        }
    }

    @Test
    void aSlowSubscriberLosesItsOldestEventsAndStaysBounded() throws Exception {
        EventHub hub = new EventHub(8);
        Subscription slow = hub.subscribe();
        Subscription fast = hub.subscribe();
        for (int i = 0; i < 100; i++) {
            hub.publish(EventType.SAMPLE, Map.of("i", i));
            assertEquals("{\"i\":" + i + "}", fast.next(1, TimeUnit.SECONDS).data());
        }
        assertTrue(slow.queued() <= 8, "queue grew to " + slow.queued());
        assertEquals(100 - slow.queued(), slow.takeDropped());
        assertEquals("{\"i\":" + (100 - slow.queued()) + "}", slow.next(1, TimeUnit.SECONDS).data(),
                "the newest events are kept");
    }

    @Test
    void closingTheHubEndsEveryStream() throws Exception {
        EventHub hub = new EventHub();
        Subscription s = hub.subscribe();
        hub.close();
        assertThrows(Subscription.ClosedException.class, () -> s.next(1, TimeUnit.SECONDS));
        assertEquals(0, hub.subscriberCount());
        Subscription late = hub.subscribe();
        assertThrows(Subscription.ClosedException.class, () -> late.next(1, TimeUnit.SECONDS));
    }

    @Test
    void multiLineDataBecomesSeveralDataLines() {
        assertEquals("event: x\ndata: a\ndata: b\n\n", new Event("x", "a\nb").toWire());
    }
}
