package org.rigdesk.daemon.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.client.DaemonException;
import org.rigdesk.api.client.EventListener;
import org.rigdesk.api.wire.AuditLog;
import org.rigdesk.api.wire.HostCheck;
import org.rigdesk.api.wire.Info;
import org.rigdesk.api.wire.Json;
import org.rigdesk.api.wire.Problem;
import org.rigdesk.api.wire.Settings;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.daemon.testing.RawHttp;

/** One real daemon, many requests: the wire contract as a client sees it. */
class ApiContractTest {

    @TempDir
    static Path dir;
    static DaemonProcess daemon;
    static DaemonClient client;

    @BeforeAll
    static void start() throws Exception {
        // A fake tree with an IOMMU unit and a group, so the IOMMU check passes.
        Files.createDirectories(dir.resolve("sys/class/iommu/dmar0"));
        Files.createDirectories(dir.resolve("sys/kernel/iommu_groups/1/devices"));
        daemon = new DaemonProcess(dir).start();
        client = daemon.client();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        daemon.close();
    }

    @Test
    void infoDescribesTheDaemonAndTheHost() throws Exception {
        Info info = client.info();
        assertEquals(daemon.process().pid(), info.pid());
        assertTrue(info.simulated(), "a fake sysfs root means simulated");
        assertEquals(daemon.sysfsRoot().toString(), info.sysfsRoot());
        assertEquals(daemon.stateDir().toString(), info.stateDir());
        assertEquals(daemon.socket().toString(), info.socket());
        assertEquals(0, info.uid(), "tests run as root here");
        assertNotNull(info.startedAt());
        List<String> ids = info.checks().stream().map(HostCheck::id).toList();
        assertTrue(ids.containsAll(List.of("iommu", "vfio-pci", "kvm", "vmm-cloud-hypervisor", "vmm-firecracker",
                "vmm-qemu-system-x86_64")), ids.toString());
        HostCheck iommu = info.checks().stream().filter(c -> c.id().equals("iommu")).findFirst().orElseThrow();
        assertTrue(iommu.ok(), iommu.toString());
        HostCheck vfio = info.checks().stream().filter(c -> c.id().equals("vfio-pci")).findFirst().orElseThrow();
        if (!vfio.ok()) {
            assertNotNull(vfio.remedy(), "a failed check carries a remedy");
        }
    }

    @Test
    void unknownPathIsProblemJson404() throws Exception {
        DaemonException e = assertThrows(DaemonException.class, () -> client.getText("/v1/nothing-here"));
        assertEquals(404, e.status());
        assertEquals("not-found", e.code());
        assertTrue(e.getMessage().contains("/v1/nothing-here"));
    }

    @Test
    void wrongMethodIsProblemJson405WithAllow() throws Exception {
        try (RawHttp raw = new RawHttp(daemon.socket())) {
            String reply = raw.send("DELETE /v1/info HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .readUntil("}", Duration.ofSeconds(5));
            assertTrue(reply.startsWith("HTTP/1.1 405"), reply);
            assertTrue(reply.contains("Allow: GET"), reply);
            assertTrue(reply.contains("Content-Type: application/problem+json"), reply);
            Problem problem = Json.mapper().readValue(reply.substring(reply.indexOf("\r\n\r\n") + 4), Problem.class);
            assertEquals(405, problem.status());
            assertEquals("method-not-allowed", problem.code());
        }
    }

    @Test
    void malformedJsonIs400AndChangesNothing() throws Exception {
        Settings before = client.get("/v1/settings", Settings.class);
        for (String body : List.of("{not json", "[1,2]", "{\"sampleIntervalMs\":\"fast\"}", "{\"unknownField\":1}",
                "null", "{\"sampleIntervalMs\":5}",
                // Each of these would have set 2000 before bodies were read strictly.
                "{\"sampleIntervalMs\":2000.5}", "{\"sampleIntervalMs\":1000,\"sampleIntervalMs\":2000}",
                "{\"sampleIntervalMs\":2000} {\"historyDays\":3}")) {
            try (RawHttp raw = new RawHttp(daemon.socket())) {
                String reply = raw.send("PUT /v1/settings HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                        .readUntil("}", Duration.ofSeconds(5));
                assertTrue(reply.startsWith("HTTP/1.1 400"), body + " -> " + reply);
                assertTrue(reply.contains("application/problem+json"), reply);
                assertTrue(reply.contains("\"detail\""), reply);
            }
        }
        assertEquals(before, client.get("/v1/settings", Settings.class));
    }

    @Test
    void anAnswerThatLeavesABodyUnreadOrARequestUnparsedSaysTheConnectionCloses() throws Exception {
        for (String request : List.of(
                "POST /v1/nope HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
                "PUT /v1/gpus/%00/mode HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")) {
            try (RawHttp raw = new RawHttp(daemon.socket())) {
                String reply = raw.send(request).readUntil("}", Duration.ofSeconds(5));
                assertTrue(reply.startsWith("HTTP/1.1 4"), reply);
                assertTrue(reply.contains("Connection: close"), request + " -> " + reply);
            }
        }
        try (RawHttp raw = new RawHttp(daemon.socket())) {
            String reply = raw.send("GET /v1/info HTTP/1.1\r\nHost: x\r\n\r\n").readUntil("}", Duration.ofSeconds(5));
            assertFalse(reply.contains("Connection: close"), "a plain request keeps its connection: " + reply);
        }
    }

    @Test
    void garbageRequestLineIsProblemJson400() throws Exception {
        try (RawHttp raw = new RawHttp(daemon.socket())) {
            String reply = raw.send("\u0001\u0002 nonsense\r\n\r\n").readUntil("}", Duration.ofSeconds(5));
            assertTrue(reply.startsWith("HTTP/1.1 400"), reply);
            assertTrue(reply.contains("application/problem+json"), reply);
        }
    }

    /** Odd request lines and framing are the client's error: a 4xx problem, never a 5xx. */
    @Test
    void unsupportedVersionsAndOddFramingAre4xxProblems() throws Exception {
        for (String request : List.of(
                "GET /v1/gpus HTTP/1.2\r\nHost: x\r\n\r\n",
                "GET /v1/gpus HTTP/3\r\nHost: x\r\n\r\n",
                "GET /v1/gpus HTTP/2.0\r\nHost: x\r\n\r\n",
                "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
                "CONNECT x:80 HTTP/1.1\r\nHost: x\r\n\r\n",
                "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET http://elsewhere/v1/gpus HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
                "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nxx",
                "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
                "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nabcd",
                "GET /v1/gpus HTTP/1.1\r\nHost: x\r\n Folded: y\r\n\r\n")) {
            try (RawHttp raw = new RawHttp(daemon.socket())) {
                String reply = raw.send(request).readUntil("}", Duration.ofSeconds(5));
                assertTrue(reply.startsWith("HTTP/1.1 4"), request + " -> " + reply);
                assertTrue(reply.contains("application/problem+json"), request + " -> " + reply);
            }
        }
        try (RawHttp raw = new RawHttp(daemon.socket())) {
            String reply = raw.send("GET /v1/gpus HTTP/3\r\nHost: x\r\n\r\n").readUntil("}", Duration.ofSeconds(5));
            assertTrue(reply.contains("rigdeskd speaks HTTP/1.1"), reply);
        }
    }

    @Test
    void settingsChangeIsStoredAuditedAndAnnounced() throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<Boolean> opened = new LinkedBlockingQueue<>();
        org.rigdesk.api.client.EventSubscription source = client.events(new EventListener() {
            @Override
            public void onOpen() {
                opened.add(true);
            }

            @Override
            public void onEvent(String type, String data) {
                if (type.equals("settings")) {
                    received.add(type + " " + data);
                }
            }

            @Override
            public void onClosed(Throwable failure) {
            }
        });
        try {
            assertNotNull(opened.poll(10, TimeUnit.SECONDS), "event stream did not open");
            Settings now = client.send("PUT", "/v1/settings", new Settings(2000, null, null, null), Settings.class);
            assertEquals(2000, now.sampleIntervalMs());
            assertEquals(Settings.DEFAULTS.historyDays(), now.historyDays(), "absent fields keep their value");
            String event = received.poll(10, TimeUnit.SECONDS);
            assertNotNull(event, "no settings event arrived");
            assertTrue(event.startsWith("settings ") && event.contains("\"sampleIntervalMs\":2000"), event);
            AuditLog audit = client.get("/v1/audit?limit=5", AuditLog.class);
            assertFalse(audit.entries().isEmpty());
            assertEquals("settings.update", audit.entries().get(0).action());
            assertEquals("root", audit.entries().get(0).caller(), "the caller comes from SO_PEERCRED");
            assertEquals("ok", audit.entries().get(0).outcome());
        } finally {
            source.cancel();
        }
    }

    @Test
    void eventStreamSendsHeartbeats() throws Exception {
        try (RawHttp raw = new RawHttp(daemon.socket())) {
            String stream = raw.send("GET /v1/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                    .readUntil(": heartbeat", Duration.ofSeconds(10));
            assertTrue(stream.startsWith("HTTP/1.1 200"), stream);
            assertTrue(stream.contains("Content-Type: text/event-stream"), stream);
            assertTrue(stream.contains(": heartbeat"), "no heartbeat within 10 s (daemon sends one every 200 ms here)");
        }
    }

    @Test
    void badQueryParameterIs400() {
        DaemonException e = assertThrows(DaemonException.class, () -> client.getText("/v1/audit?limit=-1"));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
    }

    /** A mistyped filter must not come back as an unfiltered answer. */
    @Test
    void unknownRepeatedOrMalformedQueryParametersAre400() throws Exception {
        Map<String, String> refusals = Map.of(
                "/v1/jobs?stat=running", "unknown query parameter 'stat': GET /v1/jobs takes limit, state",
                "/v1/gpus?all=1", "unknown query parameter 'all': GET /v1/gpus takes none",
                "/v1/audit?limit=1&limit=2", "query parameter 'limit' is given more than once");
        refusals.forEach((path, detail) -> {
            DaemonException e = assertThrows(DaemonException.class, () -> client.getText(path), path);
            assertEquals(400, e.status(), path);
            assertTrue(e.getMessage().contains(detail), path + " -> " + e.getMessage());
        });
        assertTrue(client.getText("/v1/jobs?limit=5&state=running").contains("\"jobs\""));
        assertTrue(client.getText("/v1/gpus?").contains("\"gpus\""), "an empty query is no query");
    }
}
