package org.rigdesk.daemon.vfio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.client.DaemonException;
import org.rigdesk.api.wire.AuditLog;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuList;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.daemon.testing.GpuFixture;
import org.rigdesk.daemon.testing.RawHttp;

/** The GPU endpoints of a real daemon on the desktop demo rig, over the socket. */
class GpuApiTest {

    @TempDir
    Path dir;

    private static Gpu mode(DaemonClient client, String bdf, String mode) throws Exception {
        return client.send("PUT", "/v1/gpus/" + bdf + "/mode", Map.of("mode", mode), Gpu.class);
    }

    @Test
    void listsThreeGpusMovesOneCardAndBackAndRefusesTheBootVga() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop").start();
             DaemonClient client = daemon.client()) {
            List<Gpu> gpus = client.get("/v1/gpus", GpuList.class).gpus();
            assertEquals(List.of("0000:00:02.0", "0000:01:00.0", "0000:02:00.0"), gpus.stream().map(Gpu::bdf).toList());
            assertEquals(List.of("AlderLake-S GT1", "GeForce RTX 3060", "GeForce RTX 3060"),
                    gpus.stream().map(Gpu::name).toList());
            Gpu first = client.get("/v1/gpus/0000:01:00.0", Gpu.class);
            assertEquals(12, first.iommuGroup());
            assertEquals("0000:01:00.1", first.groupDevices().get(0).bdf());
            assertEquals("audio", first.groupDevices().get(0).role());
            assertTrue(first.passthrough().possible());

            Gpu moved = mode(client, "0000:01:00.0", "vfio");
            assertEquals("vfio", moved.mode());
            assertEquals("vfio-pci", moved.groupDevices().get(0).driver());
            Gpu back = mode(client, "0000:01:00.0", "host");
            assertEquals("nvidia", back.driver());
            assertEquals("snd_hda_intel", back.groupDevices().get(0).driver());

            DaemonException refused = assertThrows(DaemonException.class, () -> mode(client, "0000:00:02.0", "vfio"));
            assertEquals(409, refused.status());
            assertEquals("boot-vga", refused.code());
            assertTrue(refused.problem().remedy() != null && !refused.problem().remedy().isBlank());

            AuditLog audit = client.get("/v1/audit?limit=3", AuditLog.class);
            assertEquals(List.of("refused", "ok", "ok"), audit.entries().stream().map(e -> e.outcome()).toList());
            assertTrue(audit.entries().stream().allMatch(e -> e.caller().equals("root")));
        }
    }

    @Test
    void junkAndTraversalAddressesAre400AndWriteNothing() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop").start();
             DaemonClient client = daemon.client()) {
            Map<String, String> before = GpuFixture.fingerprint(daemon.sysfsRoot());
            for (String path : List.of("/v1/gpus/..%2F..%2Fetc/mode", "/v1/gpus/../../etc/passwd/mode",
                    "/v1/gpus/0000:01:00.0%0A/mode", "/v1/gpus/0000:01:00.9/mode", "/v1/gpus/GPU0/mode",
                    "/v1/gpus/0000:01:00.0;reboot/mode", "/v1/gpus/" + "0".repeat(5000) + "/mode")) {
                try (RawHttp raw = new RawHttp(daemon.socket())) {
                    String body = "{\"mode\":\"vfio\"}";
                    String reply = raw.send("PUT " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                            + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                            .readUntil("}", Duration.ofSeconds(5));
                    assertTrue(reply.startsWith("HTTP/1.1 400") || reply.startsWith("HTTP/1.1 414")
                            || reply.startsWith("HTTP/1.1 431"), path + " -> " + reply);
                    assertTrue(reply.contains("application/problem+json"), reply);
                }
            }
            for (String body : List.of("{\"mode\":\"VFIO\"}", "{\"mode\":1}", "{}", "{\"mode\":\"vfio\",\"x\":1}")) {
                try (RawHttp raw = new RawHttp(daemon.socket())) {
                    String reply = raw.send("PUT /v1/gpus/0000:01:00.0/mode HTTP/1.1\r\nHost: localhost\r\n"
                            + "Connection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                            .readUntil("}", Duration.ofSeconds(5));
                    assertTrue(reply.startsWith("HTTP/1.1 400"), body + " -> " + reply);
                }
            }
            DaemonException notFound = assertThrows(DaemonException.class,
                    () -> client.getText("/v1/gpus/0000:09:00.0"));
            assertEquals(404, notFound.status());
            // Every route that takes an address parses it at the route: the same 400, nothing changed.
            String lendingBefore = client.getText("/v1/gpus");
            for (String[] call : List.of(new String[] {"PUT", "lending", "{\"policy\":\"ci\"}"},
                    new String[] {"POST", "reclaim", "{}"}, new String[] {"POST", "check", "{}"})) {
                for (String junk : List.of("GPU0", "0000:01:00.9", "0000:01:00.0x", "0000:1:00.0")) {
                    DaemonException bad = assertThrows(DaemonException.class, () -> client.send(call[0],
                            "/v1/gpus/" + junk + "/" + call[1], new com.fasterxml.jackson.databind.ObjectMapper()
                                    .readTree(call[2]), Gpu.class), call[1] + " " + junk);
                    assertEquals(400, bad.status(), call[1] + " " + junk);
                    assertTrue(bad.problem().detail().contains("not a PCI address"), bad.problem().detail());
                }
            }
            assertEquals(lendingBefore, client.getText("/v1/gpus"));
            AuditLog audit = client.get("/v1/audit?limit=50", AuditLog.class);
            assertEquals(4, audit.entries().stream().filter(e -> e.action().equals("gpu.lending")
                    && e.outcome().equals("rejected")).count(), "a malformed address for a lending change is audited");
            assertEquals(4, audit.entries().stream().filter(e -> e.action().equals("gpu.reclaim")
                    && e.outcome().equals("rejected")).count());
            assertEquals(before, GpuFixture.fingerprint(daemon.sysfsRoot()));
        }
    }
}
