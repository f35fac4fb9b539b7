package org.rigdesk.daemon.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.daemon.testing.UnixHttpClient;

/**
 * The handler runs on Jetty's selector thread: a route that may block must leave it for the
 * pool, or one slow request would stall every connection; an in-memory read is answered on it.
 */
@Timeout(30)
class DispatchTest {

    @TempDir
    Path dir;

    @Test
    void aBlockedEndpointHoldsAPoolThreadNotTheSelector() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> slowThread = new AtomicReference<>();
        AtomicReference<String> quickThread = new AtomicReference<>();
        Router router = new Router()
                .add("GET", "/v1/slow", exchange -> {
                    slowThread.set(Thread.currentThread().getName());
                    entered.countDown();
                    release.await();
                    exchange.text(200, "slow");
                })
                .addFromMemory("/v1/quick", exchange -> {
                    quickThread.set(Thread.currentThread().getName());
                    exchange.text(200, "quick");
                });
        Path socket = dir.resolve("api.sock");
        try (ApiServer server = new ApiServer(socket, null, router, AccessPolicy.OPEN, (peer, method, path) -> { })) {
            server.start();
            CompletableFuture<UnixHttpClient.Answer> slow = CompletableFuture.supplyAsync(() -> {
                try (UnixHttpClient client = new UnixHttpClient(socket)) {
                    return client.send("GET", "/v1/slow", null, null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                assertTrue(entered.await(10, TimeUnit.SECONDS), "the slow endpoint was never called");
                CompletableFuture<UnixHttpClient.Answer> quick = CompletableFuture.supplyAsync(() -> {
                    try (UnixHttpClient client = new UnixHttpClient(socket)) {
                        return client.send("GET", "/v1/quick", null, null);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                // Run on the selector, the blocked endpoint would leave this unanswered.
                assertEquals(new UnixHttpClient.Answer(200, "quick"), quick.get(10, TimeUnit.SECONDS));
            } finally {
                release.countDown();
            }
            assertEquals(new UnixHttpClient.Answer(200, "slow"), slow.get(10, TimeUnit.SECONDS));
            assertNotEquals(slowThread.get(), quickThread.get(), "both ran on one thread");
        }
    }
}
