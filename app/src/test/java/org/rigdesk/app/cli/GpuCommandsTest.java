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
import org.rigdesk.testkit.DaemonProcess;

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

    private static CliRuns.Run run(String... args) {
        return InfoCommandTest.runOn(daemon.socket(), args);
    }

    @Test
    void gpusListsTheThreeGpusWithTheirState() {
        CliRuns.Run run = run("gpus");
        assertEquals(0, run.code(), run.err());
        assertEquals(4, run.out().strip().split("\n").length, run.out());
        assertTrue(run.out().contains("0000:01:00.0  GeForce RTX 3060"), run.out());
        assertTrue(run.out().contains("refused: boot-vga"), run.out());
        assertTrue(run.out().contains("00.1 audio"), run.out());
    }

    @Test
    void gpusJsonIsTheInventory() throws Exception {
        CliRuns.Run run = run("gpus", "--json");
        assertEquals(0, run.code(), run.err());
        assertEquals(3, Json.mapper().readValue(run.out(), GpuList.class).gpus().size());
    }

    @Test
    void modeMovesTheCardAndItsAudioThenBack() {
        CliRuns.Run vfio = run("gpu", "mode", "0000:02:00.0", "vfio");
        assertEquals(0, vfio.code(), vfio.err());
        assertTrue(vfio.out().contains("is now in vfio mode, driver vfio-pci"), vfio.out());
        assertTrue(vfio.out().contains("0000:02:00.1 (audio) driver vfio-pci"), vfio.out());
        CliRuns.Run host = run("gpu", "mode", "0000:02:00.0", "host");
        assertEquals(0, host.code(), host.err());
        assertTrue(host.out().contains("driver nvidia"), host.out());
    }

    @Test
    void lendAndReclaimSayWhereTheCardIsAndRefuseBadWindows() {
        CliRuns.Run onDemand = run("gpu", "lend", "0000:01:00.0", "on-demand", "--idle-seconds", "120");
        assertEquals(0, onDemand.code(), onDemand.err());
        assertTrue(onDemand.out().contains("lending: on-demand (back on the desk after 120 s without a job)"), onDemand.out());
        assertTrue(onDemand.out().contains("now: On demand: on the host until a job asks"), onDemand.out());
        assertTrue(run("gpus").out().contains("on-demand · standby"), run("gpus").out());

        CliRuns.Run schedule = run("gpu", "lend", "0000:01:00.0", "schedule", "--window", "mon-fri 19:00-08:00 ci",
                "--window", "sat,sun 00:00-00:00 on-demand");
        assertEquals(0, schedule.code(), schedule.err());
        assertTrue(schedule.out().contains("windows: mon-fri 19:00-08:00 ci; sat,sun 00:00-00:00 on-demand"), schedule.out());
        assertTrue(schedule.out().contains("next: "), schedule.out());

        CliRuns.Run badWindow = run("gpu", "lend", "0000:01:00.0", "schedule", "--window", "someday 19:00-08:00");
        assertEquals(2, badWindow.code(), badWindow.out());
        assertTrue(badWindow.err().contains("not a day"), badWindow.err());
        CliRuns.Run badPolicy = run("gpu", "lend", "0000:01:00.0", "sometimes");
        assertEquals(RigdeskCommand.EXIT_REFUSED, badPolicy.code(), badPolicy.err());
        assertTrue(badPolicy.err().contains("ci, desk, on-demand or schedule"), badPolicy.err());

        CliRuns.Run ci = run("gpu", "lend", "0000:01:00.0", "ci");
        assertTrue(ci.out().contains("is in vfio mode") && ci.out().contains("now: Lent to CI"), ci.out());
        CliRuns.Run reclaimed = run("gpu", "reclaim", "0000:01:00.0", "--wait");
        assertEquals(0, reclaimed.code(), reclaimed.err());
        assertTrue(reclaimed.out().contains("is in host mode") && reclaimed.out().contains("lending: desk"), reclaimed.out());
    }

    @Test
    void refusalPrintsReasonAndRemedyAndExitsOne() {
        CliRuns.Run run = run("gpu", "mode", "0000:00:02.0", "vfio");
        assertEquals(RigdeskCommand.EXIT_REFUSED, run.code());
        assertTrue(run.err().contains("boot display"), run.err());
        assertTrue(run.err().contains("what to do:"), run.err());
    }

    @Test
    void badInputNeverReachesTheDaemon() {
        assertEquals(2, run("gpu", "mode", "0000:01:00.0", "sideways").code());
        CliRuns.Run junk = run("gpu", "mode", "../../x", "vfio");
        assertEquals(2, junk.code(), junk.out());
        assertTrue(junk.err().contains("not a PCI address"), junk.err());
    }
}
