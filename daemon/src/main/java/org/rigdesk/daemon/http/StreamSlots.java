package org.rigdesk.daemon.http;

import java.util.HashMap;
import java.util.Map;
import org.rigdesk.api.wire.ProblemCode;

/**
 * Long-lived streams (the event stream, followed logs) each hold one of the API's threads for as
 * long as the client listens. Without a cap, two users holding a few hundred of them took every
 * thread and the API stopped answering anyone: so each user may hold {@link #PER_USER}, and all
 * together {@link #TOTAL}, well below the thread pool ({@link ApiServer#MAX_THREADS}), so short
 * requests always find a thread. Root (the host's own administrator) is not counted.
 */
final class StreamSlots {

    static final int PER_USER = 16;
    static final int TOTAL = 128;

    private final Map<String, Integer> held = new HashMap<>();
    private int total;

    /** One stream's slot, given back when the stream ends. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /** A slot for {@code user}'s stream, or a 429 saying which cap it met. */
    Slot take(Peer peer) {
        String user = peer.user();
        if ("root".equals(user)) {
            return () -> { };
        }
        synchronized (this) {
            int mine = held.getOrDefault(user, 0);
            if (mine >= PER_USER) {
                throw tooMany(user + " already holds " + PER_USER + " event streams and followed logs",
                        "Close some (other windows, 'rigdesk logs -f' or scripts following events), then try again.");
            }
            if (total >= TOTAL) {
                throw tooMany("the daemon already serves " + TOTAL + " event streams and followed logs",
                        "Close some, or wait for jobs being followed to end; short requests are still answered.");
            }
            held.put(user, mine + 1);
            total++;
        }
        boolean[] closed = new boolean[1];
        return () -> {
            synchronized (this) {
                if (closed[0]) {
                    return;
                }
                closed[0] = true;
                total--;
                held.computeIfPresent(user, (u, n) -> n == 1 ? null : n - 1);
            }
        };
    }

    private static ApiException tooMany(String detail, String remedy) {
        return new ApiException(429, ProblemCode.TOO_MANY_STREAMS, "Too many streams", detail, remedy);
    }
}
