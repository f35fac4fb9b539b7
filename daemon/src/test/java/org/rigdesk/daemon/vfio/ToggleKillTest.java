package org.rigdesk.daemon.vfio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.daemon.testing.GpuFixture;

/**
 * kill -9 at every single kernel write of a toggle, both ways, on the desktop rig with the
 * emulated kernel, then a restart: the card ends where the journal wanted it, every function
 * bound, no override left behind — the same tree a toggle that was never interrupted leaves.
 */
class ToggleKillTest {

    private static final String CARD = "0000:01:00.0";

    @TempDir
    Path dir;

    @Test
    void killedAtEachStepToVfio() throws Exception {
        Map<String, String> expected = reference(dir.resolve("reference"), "vfio");
        int steps = killAtEachStep("to-vfio", "vfio", expected);
        assertTrue(steps >= 6, "a two-function group takes an override, an unbind and a probe each: " + steps);
    }

    @Test
    void killedAtEachStepBackToHost() throws Exception {
        Map<String, String> afterVfio = reference(dir.resolve("reference-vfio"), "vfio");
        Map<String, String> expected = reference(dir.resolve("reference"), "vfio", "host");
        assertNotEquals(afterVfio, expected);
        int steps = killAtEachStep("to-host", "host", expected);
        assertTrue(steps >= 6, "steps: " + steps);
    }

    /**
     * Kills the daemon after each write of the toggle in turn (a toggle back to the host starts
     * from a card a previous daemon life moved to vfio); returns how many writes it took.
     */
    private int killAtEachStep(String name, String target, Map<String, String> expected) throws Exception {
        for (int step = 0; ; step++) {
            Path caseDir = dir.resolve(name + "-" + step);
            if (target.equals("host")) {
                reference(caseDir, "vfio");
            }
            DaemonProcess first = new DaemonProcess(caseDir).simulate("desktop")
                    .withArgs("--debug-pause-after-write", String.valueOf(step)).start();
            try (DaemonClient client = first.client()) {
                CompletableFuture<Gpu> toggle = CompletableFuture.supplyAsync(() -> {
                    try {
                        return mode(client, target);
                    } catch (Exception dying) {
                        return null;
                    }
                });
                Await.until(() -> toggle.isDone() || first.log().contains("debug: paused"), 30,
                        "the toggle pauses at write " + step);
                if (toggle.isDone()) {
                    assertEquals(target, toggle.get().mode(), first.log());
                    first.stop();
                    assertEquals(expected, GpuFixture.fingerprint(first.sysfsRoot()), "an uninterrupted toggle");
                    return step;
                }
                first.kill();
                toggle.get(30, TimeUnit.SECONDS);
            } finally {
                first.kill();
            }
            try (DaemonProcess again = new DaemonProcess(caseDir).simulate("desktop").start();
                 DaemonClient client = again.client()) {
                String where = "killed " + name + " at step " + step + ": " + again.log();
                assertEquals(expected, GpuFixture.fingerprint(again.sysfsRoot()), where);
                assertEquals(target, client.get("/v1/gpus/" + CARD, Gpu.class).mode(), where);
                assertFalse(again.log().contains("SEVERE"), where);
            }
        }
    }

    /** The tree a daemon leaves after uninterrupted toggles of the card to each mode in turn. */
    private static Map<String, String> reference(Path caseDir, String... modes) throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(caseDir).simulate("desktop").start();
             DaemonClient client = daemon.client()) {
            for (String mode : modes) {
                assertEquals(mode, mode(client, mode).mode());
            }
            return GpuFixture.fingerprint(daemon.sysfsRoot());
        }
    }

    private static Gpu mode(DaemonClient client, String mode) throws Exception {
        return client.send("PUT", "/v1/gpus/" + CARD + "/mode", Map.of("mode", mode), Gpu.class);
    }
}
