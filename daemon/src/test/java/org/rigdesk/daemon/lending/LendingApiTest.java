package org.rigdesk.daemon.lending;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.client.DaemonException;
import org.rigdesk.api.wire.AuditEntry;
import org.rigdesk.api.wire.AuditLog;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuList;
import org.rigdesk.api.wire.LendingRequest;
import org.rigdesk.api.wire.LendingWindow;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.testkit.OwnerProcesses;

/**
 * Lending policies on a real daemon and the desktop demo rig (emulated kernel), without a runner:
 * every card shows its lending, ci and desk move the card, bad requests change nothing, an
 * on-demand card stays on the host and refuses the toggle, and a schedule's window that opens
 * while the owner's process holds the card is refused, shown, and taken once the process is gone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LendingApiTest {

    private static final String FIRST = "0000:01:00.0";
    private static final String SECOND = "0000:02:00.0";
    private static final String IGPU = "0000:00:02.0";

    @TempDir
    static Path dir;
    static DaemonProcess daemon;
    static DaemonClient client;

    @BeforeAll
    static void start() throws Exception {
        daemon = new DaemonProcess(dir).simulate("desktop").withArgs("--lending-retry-seconds", "1").start();
        client = daemon.client();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    static Gpu gpu(DaemonClient on, String bdf) throws IOException {
        return on.get("/v1/gpus/" + bdf, Gpu.class);
    }

    static Gpu lend(DaemonClient on, String bdf, LendingRequest request) throws IOException {
        return on.send("PUT", "/v1/gpus/" + bdf + "/lending", request, Gpu.class);
    }

    static List<AuditEntry> audit(DaemonClient on, String action) throws IOException {
        return on.get("/v1/audit?limit=200", AuditLog.class).entries().stream()
                .filter(e -> e.action().equals(action)).toList();
    }

    @Test
    @Order(1)
    void everyCardShowsItsLendingAndTheBootDisplayIsTheDesks() throws Exception {
        List<Gpu> gpus = client.get("/v1/gpus", GpuList.class).gpus();
        for (Gpu gpu : gpus) {
            assertNotNull(gpu.lending(), gpu.bdf());
            assertEquals("desk", gpu.lending().policy(), "a card on its host driver that nobody lent is the owner's");
            assertEquals("desk", gpu.lending().state());
            assertEquals(300, gpu.lending().idleSeconds());
        }
        DaemonException refused = assertThrows(DaemonException.class,
                () -> lend(client, IGPU, new LendingRequest("ci", null, null)));
        assertEquals(409, refused.status());
        assertEquals("boot-vga", refused.code());
        assertEquals("desk", gpu(client, IGPU).lending().policy());
        assertEquals("i915", gpu(client, IGPU).driver());
    }

    @Test
    @Order(2)
    void lendingToCiMovesTheCardAndDeskBringsItBack() throws Exception {
        Gpu lent = lend(client, FIRST, new LendingRequest("ci", null, null));
        assertEquals("ci", lent.lending().policy());
        assertEquals("vfio", lent.mode(), "the answer comes once the card is where the policy wants it");
        assertEquals("lent", lent.lending().state());
        assertTrue(lent.lending().detail().startsWith("Lent to CI"), lent.lending().detail());

        Gpu back = lend(client, FIRST, new LendingRequest("desk", null, null));
        assertEquals("host", back.mode());
        assertEquals("nvidia", back.driver());
        assertEquals("desk", back.lending().state());
        assertEquals(List.of("desk", "ci"), audit(client, "gpu.lending").stream().filter(e -> e.outcome().equals("ok"))
                .map(AuditEntry::detail).toList());
        assertEquals("ok", audit(client, "gpu.lend").get(0).outcome());
        assertEquals("its policy lends it to CI", audit(client, "gpu.lend").get(0).detail());
        assertEquals("ok", audit(client, "gpu.return").get(0).outcome());
    }

    @Test
    @Order(3)
    void badRequestsAreRefusedAndChangeNothing() throws Exception {
        Gpu before = gpu(client, SECOND);
        List<LendingRequest> bad = List.of(
                new LendingRequest("sometimes", null, null),
                new LendingRequest(null, null, null),
                new LendingRequest("ci", List.of(new LendingWindow(List.of("mon"), "19:00", "08:00", "ci")), null),
                new LendingRequest("schedule", List.of(), null),
                new LendingRequest("schedule", List.of(new LendingWindow(List.of("funday"), "19:00", "08:00", "ci")), null),
                new LendingRequest("schedule", List.of(new LendingWindow(List.of("mon"), "7pm", "08:00", "ci")), null),
                new LendingRequest("on-demand", null, 5),
                new LendingRequest("on-demand", null, 1_000_000));
        for (LendingRequest request : bad) {
            DaemonException e = assertThrows(DaemonException.class, () -> lend(client, SECOND, request), request.toString());
            assertEquals(400, e.status(), request.toString());
            assertTrue(e.problem().detail() != null && !e.problem().detail().isBlank());
        }
        assertEquals(404, assertThrows(DaemonException.class,
                () -> lend(client, "0000:09:00.0", new LendingRequest("ci", null, null))).status());
        assertEquals(400, assertThrows(DaemonException.class,
                () -> lend(client, "not-a-bdf", new LendingRequest("ci", null, null))).status());
        assertEquals(400, assertThrows(DaemonException.class, () -> client.send("PUT", "/v1/gpus/" + SECOND + "/lending",
                Map.of("policy", "ci", "colour", "blue"), Gpu.class)).status(), "unknown fields are refused");
        Gpu after = gpu(client, SECOND);
        assertEquals(before.mode(), after.mode());
        assertEquals(before.lending().policy(), after.lending().policy());
        assertEquals(bad.size() + 2, audit(client, "gpu.lending").stream().filter(e -> e.outcome().equals("rejected")).count(),
                "each refusal is audited (the unknown field is refused before it reaches the policy)");
    }

    @Test
    @Order(4)
    void anOnDemandCardWaitsOnTheHostAndTheToggleLeavesItToItsPolicy() throws Exception {
        Gpu standby = lend(client, SECOND, new LendingRequest("on-demand", null, 120));
        assertEquals("on-demand", standby.lending().policy());
        assertEquals("on-demand", standby.lending().effective());
        assertEquals("standby", standby.lending().state());
        assertEquals("host", standby.mode(), "no job asks for it: it stays the owner's");
        assertEquals(120, standby.lending().idleSeconds());
        DaemonException refused = assertThrows(DaemonException.class,
                () -> client.send("PUT", "/v1/gpus/" + SECOND + "/mode", Map.of("mode", "vfio"), Gpu.class));
        assertEquals(409, refused.status());
        assertEquals("lent-by-policy", refused.code());
        assertTrue(refused.problem().remedy().contains("rigdesk gpu lend " + SECOND), refused.problem().remedy());
        assertEquals("host", gpu(client, SECOND).mode());

        // The toggle of a card without such a policy is the ci/desk switch: it stores the policy.
        Gpu toggled = client.send("PUT", "/v1/gpus/" + FIRST + "/mode", Map.of("mode", "vfio"), Gpu.class);
        assertEquals("ci", toggled.lending().policy());
        assertEquals("lent", toggled.lending().state());
        Gpu reclaimed = client.send("POST", "/v1/gpus/" + FIRST + "/reclaim", Map.of(), Gpu.class);
        assertEquals("desk", reclaimed.lending().policy());
        assertEquals("host", reclaimed.mode(), "an idle card comes back at once");
        assertEquals("ok", audit(client, "gpu.reclaim").get(0).outcome());
    }

    @Test
    @Order(5)
    void aWindowThatOpensWhileTheOwnerUsesTheCardIsRefusedShownAndRetried() throws Exception {
        // A second daemon whose clock starts 25 s before a Monday 19:00 (UTC here).
        LocalDateTime start = LocalDateTime.of(2026, 12, 7, 18, 59, 35);
        try (DaemonProcess evening = new DaemonProcess(dir.resolve("evening")).simulate("desktop")
                .withArgs("--lending-retry-seconds", "1", "--debug-lending-clock", start.toString())
                .withEnv("TZ", "UTC").start();
             DaemonClient on = evening.client()) {
            Path proc = evening.sysfsRoot().resolveSibling("proc");
            OwnerProcesses.hold(proc, 4242, "python3", "/dev/nvidia1");
            Gpu scheduled = lend(on, SECOND, new LendingRequest("schedule", List.of(
                    new LendingWindow(List.of("mon", "tue", "wed", "thu", "fri"), "19:00", "08:00", "ci")), null));
            assertEquals("desk", scheduled.lending().effective());
            assertEquals("desk", scheduled.lending().state());
            assertEquals(LocalDateTime.of(2026, 12, 7, 19, 0).toInstant(ZoneOffset.UTC), scheduled.lending().nextChange());
            assertEquals("ci", scheduled.lending().nextPolicy());

            Gpu blocked = Await.value(() -> gpu(on, SECOND), g -> "blocked".equals(g.lending().state()), 60,
                    "the window opens and the owner's process holds the card");
            assertEquals("ci", blocked.lending().effective());
            assertEquals("host", blocked.mode(), "the owner's use wins: nothing is taken");
            assertTrue(blocked.lending().detail().contains("4242 (python3)"), blocked.lending().detail());
            assertTrue(Files.isDirectory(proc.resolve("4242")), "the process is never touched");
            assertEquals(LocalDateTime.of(2026, 12, 8, 8, 0).toInstant(ZoneOffset.UTC), blocked.lending().nextChange());
            assertEquals("refused", audit(on, "gpu.lend").get(0).outcome());

            deleteTree(proc.resolve("4242"));
            Gpu lent = Await.value(() -> gpu(on, SECOND), g -> "vfio".equals(g.mode()), 30, "the retry takes the card");
            assertEquals("lent", lent.lending().state());
            assertNull(lent.lending().jobId());
            assertEquals("ok", audit(on, "gpu.lend").get(0).outcome());
            assertEquals(1, audit(on, "gpu.lend").stream().filter(e -> e.outcome().equals("refused")).count(),
                    "a refusal is audited once, not once per retry");
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
