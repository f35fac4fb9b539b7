package org.rigdesk.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.wire.GpuList;
import org.rigdesk.api.wire.Json;
import org.rigdesk.daemon.testing.DaemonProcess;

/** {@code rigdesk gpus} and {@code rigdesk gpu mode} against a real daemon on the desktop demo rig. */
class GpuCommandsTest {

    @TempDir
    static Path dir;
    static DaemonProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = new DaemonProcess(dir).simulate("desktop").start();
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    private static InfoCommandTest.Run run(String... args) {
        return InfoCommandTest.runOn(daemon.socket(), args);
    }

    @Test
    void gpusListsTheThreeGpusWithTheirState() {
        InfoCommandTest.Run run = run("gpus");
        assertEquals(0, run.code(), run.err());
        assertEquals(4, run.out().strip().split("\n").length, run.out());
        assertTrue(run.out().contains("0000:01:00.0  GeForce RTX 3060"), run.out());
        assertTrue(run.out().contains("refused: boot-vga"), run.out());
        assertTrue(run.out().contains("00.1 audio"), run.out());
    }

    @Test
    void gpusJsonIsTheInventory() throws Exception {
        InfoCommandTest.Run run = run("gpus", "--json");
        assertEquals(0, run.code(), run.err());
        assertEquals(3, Json.mapper().readValue(run.out(), GpuList.class).gpus().size());
    }

    @Test
    void modeMovesTheCardAndItsAudioThenBack() {
        InfoCommandTest.Run vfio = run("gpu", "mode", "0000:02:00.0", "vfio");
        assertEquals(0, vfio.code(), vfio.err());
        assertTrue(vfio.out().contains("is now in vfio mode, driver vfio-pci"), vfio.out());
        assertTrue(vfio.out().contains("0000:02:00.1 (audio) driver vfio-pci"), vfio.out());
        InfoCommandTest.Run host = run("gpu", "mode", "0000:02:00.0", "host");
        assertEquals(0, host.code(), host.err());
        assertTrue(host.out().contains("driver nvidia"), host.out());
    }

    @Test
    void refusalPrintsReasonAndRemedyAndExitsOne() {
        InfoCommandTest.Run run = run("gpu", "mode", "0000:00:02.0", "vfio");
        assertEquals(RigdeskCommand.EXIT_REFUSED, run.code());
        assertTrue(run.err().contains("boot display"), run.err());
        assertTrue(run.err().contains("what to do:"), run.err());
    }

    @Test
    void badInputNeverReachesTheDaemon() {
        assertEquals(2, run("gpu", "mode", "0000:01:00.0", "sideways").code());
        InfoCommandTest.Run junk = run("gpu", "mode", "../../x", "vfio");
        assertEquals(2, junk.code(), junk.out());
        assertTrue(junk.err().contains("not a PCI address"), junk.err());
    }
}
