package org.rigdesk.daemon.vfio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.daemon.gpu.Bdf;
import org.rigdesk.daemon.http.Problems;
import org.rigdesk.daemon.problems.DomainException;
import org.rigdesk.daemon.simulation.DemoRigs;
import org.rigdesk.daemon.simulation.EmulatedKernel.Fault;
import org.rigdesk.daemon.simulation.SysfsTree;
import org.rigdesk.daemon.testing.GpuFixture;

/** The toggle's rules against fake trees and the emulated kernel, one case per rig shape. */
class VfioServiceTest {

    private static final String GPU1 = "0000:01:00.0";
    private static final String AUDIO1 = "0000:01:00.1";
    private static final String GPU2 = "0000:02:00.0";
    private static final String AUDIO2 = "0000:02:00.1";

    @TempDir
    Path dir;
    private GpuFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private VfioService on(SysfsTree tree) throws Exception {
        fixture = new GpuFixture(tree, dir);
        return fixture.service();
    }

    /** A desktop without the two RTX 3060s, for cards placed by each test. */
    private SysfsTree bare() {
        return SysfsTree.create(dir.resolve("rig")).iommu().drivers("pcieport", "nvidia", "snd_hda_intel", "igc");
    }

    private static org.rigdesk.api.wire.Problem refused(Runnable call) {
        return Problems.of(assertThrows(DomainException.class, call::run));
    }

    @Test
    void twoIdenticalGpusOnlyTheTargetMovesWithItsAudio() throws Exception {
        VfioService gpus = on(DemoRigs.desktop(dir.resolve("rig")));
        assertEquals(3, gpus.list().size(), "iGPU and two RTX 3060");
        Gpu moved = gpus.setMode(Bdf.parse(GPU1), GpuMode.VFIO, "alice");
        assertEquals(GpuMode.VFIO.wire(), moved.mode());
        assertEquals("vfio-pci", moved.driver());
        assertEquals("vfio-pci", fixture.driver(AUDIO1));
        assertEquals("vfio-pci", fixture.override(GPU1));
        assertEquals("vfio-pci", fixture.override(AUDIO1));
        assertEquals("nvidia", fixture.driver(GPU2), "the identical second card stays");
        assertEquals("snd_hda_intel", fixture.driver(AUDIO2));
        assertTrue(Files.isDirectory(fixture.tree.sys().resolve("module/vfio_pci")), "vfio-pci was loaded");

        Gpu back = gpus.setMode(Bdf.parse(GPU1), GpuMode.HOST, "alice");
        assertEquals(GpuMode.HOST.wire(), back.mode());
        assertEquals("nvidia", fixture.driver(GPU1));
        assertEquals("snd_hda_intel", fixture.driver(AUDIO1));
        assertNull(fixture.override(GPU1), "override cleared");
        assertNull(fixture.override(AUDIO1));
        assertEquals("ok", fixture.audit.latest(1).get(0).outcome());
        assertEquals("alice", fixture.audit.latest(1).get(0).caller());
    }

    @Test
    void turingCardMovesAllFourFunctions() throws Exception {
        VfioService gpus = on(DemoRigs.turing(dir.resolve("rig")));
        Gpu turing = gpus.get(GPU1).orElseThrow();
        assertEquals(List.of("audio", "usb", "serial-bus"),
                turing.groupDevices().stream().map(Gpu.GroupDevice::role).toList());
        gpus.setMode(Bdf.parse(GPU1), GpuMode.VFIO, "root");
        for (String function : List.of("0000:01:00.0", "0000:01:00.1", "0000:01:00.2", "0000:01:00.3")) {
            assertEquals("vfio-pci", fixture.driver(function), function);
        }
        gpus.setMode(Bdf.parse(GPU1), GpuMode.HOST, "root");
        assertEquals("nvidia", fixture.driver("0000:01:00.0"));
        assertEquals("snd_hda_intel", fixture.driver("0000:01:00.1"));
        assertEquals("xhci_hcd", fixture.driver("0000:01:00.2"));
        assertEquals("nvidia-gpu", fixture.driver("0000:01:00.3"));
    }

    @Test
    void aNicInTheGroupRefusesAndNothingIsWritten() throws Exception {
        VfioService gpus = on(bare()
                .device(GPU1).ids("10de", "2503", "030000").driver("nvidia").group(12).add()
                .device(AUDIO1).ids("10de", "228e", "040300").driver("snd_hda_intel").group(12).add()
                .device("0000:03:00.0").ids("8086", "15f3", "020000").driver("igc").group(12).add());
        Map<String, String> before = fixture.fingerprint();
        Gpu gpu = gpus.get(GPU1).orElseThrow();
        assertFalse(gpu.passthrough().possible());
        org.rigdesk.api.wire.Problem e = refused(() -> gpus.setMode(Bdf.parse(GPU1), GpuMode.VFIO, "root"));
        assertEquals(409, e.status());
        assertEquals(Refusal.GROUP_NOT_ISOLATED, e.code());
        assertTrue(e.detail().contains("0000:03:00.0"), e.detail());
        assertTrue(e.detail().contains("igc"), e.detail());
        assertNotNull(e.remedy());
        assertEquals(before, fixture.fingerprint());
        assertEquals("refused", fixture.audit.latest(1).get(0).outcome());
    }

    @Test
    void iommuOffRefuses() throws Exception {
        VfioService gpus = on(SysfsTree.create(dir.resolve("rig")).drivers("nvidia")
                .device(GPU1).ids("10de", "2503", "030000").driver("nvidia").add());
        Gpu gpu = gpus.get(GPU1).orElseThrow();
        assertNull(gpu.iommuGroup());
        org.rigdesk.api.wire.Problem e = refused(() -> gpus.setMode(Bdf.parse(GPU1), GpuMode.VFIO, "root"));
        assertEquals(Refusal.IOMMU_OFF, e.code());
        assertTrue(e.remedy().contains("intel_iommu=on"));
    }

    @Test
    void noIommuModeRefuses() throws Exception {
        VfioService gpus = on(bare().noIommuMode()
                .device(GPU1).ids("10de", "2503", "030000").driver("nvidia").group(12).add());
        assertEquals(Refusal.IOMMU_OFF, refused(() -> gpus.setMode(Bdf.parse(GPU1), GpuMode.VFIO, "root")).code());
    }

    @Test
    void aBridgeInTheGroupStaysOnPcieport() throws Exception {
        VfioService gpus = on(bare()
                .device("0000:00:01.0").ids("8086", "460d", "060400").driver("pcieport").group(12).add()
                .device(GPU1).ids("10de", "2503", "030000").driver("nvidia").group(12).behind("0000:00:01.0").add()
                .device(AUDIO1).ids("10de", "228e", "040300").driver("snd_hda_intel").group(12)
                .behind("0000:00:01.0").add());
        Gpu gpu = gpus.get(GPU1).orElseThrow();
        assertTrue(gpu.passthrough().possible(), gpu.passthrough().toString());
        assertTrue(gpu.groupDevices().stream().anyMatch(d -> d.role().equals("bridge")));
        gpus.setMode(Bdf.parse(GPU1), GpuMode.VFIO, "root");
        assertEquals("vfio-pci", fixture.driver(GPU1));
        assertEquals("vfio-pci", fixture.driver(AUDIO1));
        assertEquals("pcieport", fixture.driver("0000:00:01.0"));
        assertNull(fixture.override("0000:00:01.0"));
    }

    @Test
    void aCardAlreadyOnVfioAtStartIsReportedAndNotRewritten() throws Exception {
        VfioService gpus = on(bare().drivers("vfio-pci")
                .device(GPU1).ids("10de", "2503", "030000").driver("vfio-pci").group(12).add()
                .device(AUDIO1).ids("10de", "228e", "040300").driver("vfio-pci").group(12).add());
        assertEquals(GpuMode.VFIO.wire(), gpus.get(GPU1).orElseThrow().mode());
        Map<String, String> before = fixture.fingerprint();
        assertEquals(GpuMode.VFIO.wire(), gpus.setMode(Bdf.parse(GPU1), GpuMode.VFIO, "root").mode());
        assertEquals(before, fixture.fingerprint(), "already in the mode: nothing written");
        assertEquals("unchanged", fixture.audit.latest(1).get(0).outcome());
        gpus.setMode(Bdf.parse(GPU1), GpuMode.HOST, "root");
        assertEquals("nvidia", fixture.driver(GPU1));
        assertEquals("snd_hda_intel", fixture.driver(AUDIO1));
    }

    @Test
    void anUnboundCardIsReportedAndCanBeReturnedToItsDriver() throws Exception {
        VfioService gpus = on(bare()
                .device(GPU1).ids("10de", "2503", "030000").group(12).add()
                .device(AUDIO1).ids("10de", "228e", "040300").group(12).add());
        assertEquals(GpuMode.UNBOUND.wire(), gpus.get(GPU1).orElseThrow().mode());
        assertEquals(GpuMode.HOST.wire(), gpus.setMode(Bdf.parse(GPU1), GpuMode.HOST, "root").mode());
        assertEquals("nvidia", fixture.driver(GPU1));
        assertEquals("snd_hda_intel", fixture.driver(AUDIO1));
    }

    @Test
    void vfioPciNotLoadedIsLoadedFirst() throws Exception {
        VfioService gpus = on(DemoRigs.desktop(dir.resolve("rig")));
        assertFalse(Files.exists(fixture.tree.sys().resolve("bus/pci/drivers/vfio-pci")));
        gpus.setMode(Bdf.parse(GPU1), GpuMode.VFIO, "root");
        assertTrue(Files.isDirectory(fixture.tree.sys().resolve("bus/pci/drivers/vfio-pci")));
        assertEquals("vfio-pci", fixture.driver(GPU1));
    }

    @Test
    void vfioPciMissingIsRefusedBeforeAnyWrite() throws Exception {
        VfioService gpus = on(DemoRigs.desktop(dir.resolve("rig")).loadable());
        Map<String, String> before = fixture.fingerprint();
        org.rigdesk.api.wire.Problem e = refused(() -> gpus.setMode(Bdf.parse(GPU1), GpuMode.VFIO, "root"));
        assertEquals(Refusal.VFIO_UNAVAILABLE, e.code());
        assertEquals(before, fixture.fingerprint());
    }

    @Test
    void modprobeFailingIsVfioUnavailableAndChangesNothing() throws Exception {
        VfioService gpus = on(DemoRigs.desktop(dir.resolve("rig")));
        fixture.kernel.failModprobe();
        Map<String, String> before = fixture.fingerprint();
        org.rigdesk.api.wire.Problem e = refused(() -> gpus.setMode(Bdf.parse(GPU1), GpuMode.VFIO, "root"));
        assertEquals(Refusal.VFIO_UNAVAILABLE, e.code());
        assertTrue(e.detail().contains("modprobe"), e.detail());
        assertEquals(before, fixture.fingerprint());
        assertEquals(GpuMode.HOST, fixture.journal.all().get(0).desiredMode(), "journal back to where it was");
    }

    @Test
    void missingDriverOverrideRefuses() throws Exception {
        VfioService gpus = on(bare()
                .device(GPU1).ids("10de", "2503", "030000").driver("nvidia").group(12).withoutDriverOverride().add());
        org.rigdesk.api.wire.Problem e = refused(() -> gpus.setMode(Bdf.parse(GPU1), GpuMode.VFIO, "root"));
        assertEquals(Refusal.NO_DRIVER_OVERRIDE, e.code());
    }

    @Test
    void bootVgaIsRefusedWithARemedy() throws Exception {
        VfioService gpus = on(DemoRigs.desktop(dir.resolve("rig")));
        org.rigdesk.api.wire.Problem e = refused(() -> gpus.setMode(Bdf.parse("0000:00:02.0"), GpuMode.VFIO, "root"));
        assertEquals(Refusal.BOOT_VGA, e.code());
        assertTrue(e.type().endsWith("/boot-vga"));
        assertTrue(e.remedy().contains("primary display"), e.remedy());
        assertEquals("i915", fixture.driver("0000:00:02.0"));
    }

    @Test
    void processesHoldingTheCardAreNamedAndNeverKilled() throws Exception {
        VfioService gpus = on(DemoRigs.desktop(dir.resolve("rig"))
                .process(4242, "python3", "/dev/nvidia0", "/dev/null")
                .process(777, "Xorg", "/dev/dri/card1")
                .process(999, "bash", "/dev/nvidia1"));
        org.rigdesk.api.wire.Problem e = refused(() -> gpus.setMode(Bdf.parse(GPU1), GpuMode.VFIO, "root"));
        assertEquals(Refusal.IN_USE, e.code());
        assertTrue(e.detail().contains("4242 (python3)"), e.detail());
        assertTrue(e.detail().contains("777 (Xorg)"), e.detail());
        assertFalse(e.detail().contains("999"), "the other card's user is not named");
        assertTrue(Files.isDirectory(fixture.tree.proc().resolve("4242")));
        assertEquals("nvidia", fixture.driver(GPU1));
    }

    @Test
    void probeThatBindsNothingRollsTheGroupBack() throws Exception {
        VfioService gpus = on(DemoRigs.desktop(dir.resolve("rig")));
        fixture.kernel.inject("bus/pci/drivers_probe", GPU1, Fault.PROBE_BINDS_NOTHING);
        org.rigdesk.api.wire.Problem e = refused(() -> gpus.setMode(Bdf.parse(GPU1), GpuMode.VFIO, "root"));
        assertEquals("toggle-failed", e.code());
        assertTrue(e.detail().contains("rolled back"), e.detail());
        assertEquals("nvidia", fixture.driver(GPU1));
        assertEquals("snd_hda_intel", fixture.driver(AUDIO1), "the audio function went back too");
        assertNull(fixture.override(GPU1));
        assertNull(fixture.override(AUDIO1));
        assertEquals(GpuMode.HOST.wire(), gpus.get(GPU1).orElseThrow().mode());
        assertEquals(GpuMode.HOST, fixture.journal.all().get(0).desiredMode());
    }

    @Test
    void aFunctionFailingMidGroupRollsBackTheOnesAlreadyMoved() throws Exception {
        VfioService gpus = on(DemoRigs.turing(dir.resolve("rig")));
        // Order: audio, usb, serial-bus, then the display: fail the third one.
        fixture.kernel.inject("bus/pci/drivers/nvidia-gpu/unbind", null, Fault.FAIL);
        org.rigdesk.api.wire.Problem e = refused(() -> gpus.setMode(Bdf.parse(GPU1), GpuMode.VFIO, "root"));
        assertEquals("toggle-failed", e.code());
        assertEquals("nvidia", fixture.driver("0000:01:00.0"));
        assertEquals("snd_hda_intel", fixture.driver("0000:01:00.1"));
        assertEquals("xhci_hcd", fixture.driver("0000:01:00.2"));
        assertEquals("nvidia-gpu", fixture.driver("0000:01:00.3"));
        for (String f : List.of("0000:01:00.0", "0000:01:00.1", "0000:01:00.2", "0000:01:00.3")) {
            assertNull(fixture.override(f), f);
        }
    }

    @Test
    void aHangingWriteMarksTheCardStuckWithoutBlockingTheDaemon() throws Exception {
        fixture = new GpuFixture(DemoRigs.desktop(dir.resolve("rig")), dir, Set.of(), Duration.ofMillis(300));
        VfioService gpus = fixture.service();
        fixture.kernel.inject("bus/pci/drivers/nvidia/unbind", GPU1, Fault.HANG);
        org.rigdesk.api.wire.Problem e = refused(() -> gpus.setMode(Bdf.parse(GPU1), GpuMode.VFIO, "root"));
        assertEquals(500, e.status());
        assertEquals("stuck", e.code());
        assertEquals(GpuMode.CHANGING.wire(), gpus.get(GPU1).orElseThrow().mode());
        assertEquals(Refusal.BUSY, refused(() -> gpus.setMode(Bdf.parse(GPU1), GpuMode.HOST, "root")).code(),
                "a stuck card is left alone");
        assertEquals(GpuMode.VFIO.wire(), gpus.setMode(Bdf.parse(GPU2), GpuMode.VFIO, "root").mode(), "the other card still moves");
    }

    @Test
    void oneChangePerGroupAtATime() throws Exception {
        VfioService gpus = on(DemoRigs.desktop(dir.resolve("rig")));
        fixture.kernel.setWriteDelayMillis(150);
        CompletableFuture<Gpu> first = CompletableFuture.supplyAsync(() -> gpus.setMode(Bdf.parse(GPU1), GpuMode.VFIO, "a"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!gpus.get(GPU1).orElseThrow().is(GpuMode.CHANGING) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        org.rigdesk.api.wire.Problem e = refused(() -> gpus.setMode(Bdf.parse(GPU1), GpuMode.HOST, "b"));
        assertEquals(Refusal.BUSY, e.code());
        assertEquals(GpuMode.VFIO.wire(), first.get(20, TimeUnit.SECONDS).mode());
    }

    @Test
    void restartMidToggleCompletesTheJournalledMove() throws Exception {
        VfioService gpus = on(DemoRigs.desktop(dir.resolve("rig")));
        // What a kill -9 between unbind and probe leaves: journal says vfio, audio already moved,
        // the GPU unbound with its override set.
        fixture.kernel.inject("bus/pci/drivers_probe", GPU1, Fault.PROBE_BINDS_NOTHING);
        fixture.journal.put(Bdf.parse(GPU1), "10de", "2503", GpuMode.VFIO);
        fixture.kernel.modprobe("vfio-pci");
        fixture.kernel.write(fixture.tree.sys().resolve("bus/pci/devices/" + AUDIO1 + "/driver_override"), "vfio-pci");
        fixture.kernel.write(fixture.tree.sys().resolve("bus/pci/drivers/snd_hda_intel/unbind"), AUDIO1);
        fixture.kernel.write(fixture.tree.sys().resolve("bus/pci/drivers_probe"), AUDIO1);
        fixture.kernel.write(fixture.tree.sys().resolve("bus/pci/devices/" + GPU1 + "/driver_override"), "vfio-pci");
        fixture.kernel.write(fixture.tree.sys().resolve("bus/pci/drivers/nvidia/unbind"), GPU1);
        assertNull(fixture.driver(GPU1));
        assertEquals(GpuMode.UNBOUND.wire(), fixture.service().get(GPU1).orElseThrow().mode());

        // The restarted daemon: a new service and kernel over the same tree and journal.
        VfioService again = fixture.service(new org.rigdesk.daemon.simulation.EmulatedKernel(fixture.tree.sys()));
        again.reconcile();
        assertEquals("vfio-pci", fixture.driver(GPU1));
        assertEquals("vfio-pci", fixture.driver(AUDIO1));
        assertEquals(GpuMode.VFIO.wire(), again.get(GPU1).orElseThrow().mode());
    }

    @Test
    void restartWhereTheJournalledModeIsNowRefusedReturnsTheCardToTheHost() throws Exception {
        VfioService gpus = on(DemoRigs.desktop(dir.resolve("rig")).process(31, "python3", "/dev/nvidia0"));
        fixture.journal.put(Bdf.parse(GPU1), "10de", "2503", GpuMode.VFIO);
        fixture.kernel.write(fixture.tree.sys().resolve("bus/pci/devices/" + GPU1 + "/driver_override"), "vfio-pci");
        fixture.kernel.write(fixture.tree.sys().resolve("bus/pci/drivers/nvidia/unbind"), GPU1);
        gpus.reconcile();
        assertEquals("nvidia", fixture.driver(GPU1), "nothing is left unbound");
        assertNull(fixture.override(GPU1));
    }

    @Test
    void aJournalEntryWhoseSlotNowHoldsAnotherCardIsIgnored() throws Exception {
        VfioService gpus = on(DemoRigs.desktop(dir.resolve("rig")));
        fixture.journal.put(Bdf.parse(GPU1), "10de", "1e07", GpuMode.VFIO);
        Map<String, String> before = fixture.fingerprint();
        gpus.reconcile();
        assertEquals(before, fixture.fingerprint());
        assertTrue(fixture.journal.all().isEmpty(), "the stale entry is forgotten");
        assertEquals("skipped", fixture.audit.latest(1).get(0).outcome());
    }

    @Test
    void journalledModesAreReappliedAtStart() throws Exception {
        VfioService gpus = on(DemoRigs.desktop(dir.resolve("rig")));
        gpus.setMode(Bdf.parse(GPU2), GpuMode.VFIO, "root");
        // A reboot: the kernel binds every card to its host driver again.
        fixture.kernel.write(fixture.tree.sys().resolve("bus/pci/drivers/vfio-pci/unbind"), GPU2);
        fixture.kernel.write(fixture.tree.sys().resolve("bus/pci/drivers/vfio-pci/unbind"), AUDIO2);
        fixture.kernel.write(fixture.tree.sys().resolve("bus/pci/devices/" + GPU2 + "/driver_override"), "\n");
        fixture.kernel.write(fixture.tree.sys().resolve("bus/pci/devices/" + AUDIO2 + "/driver_override"), "\n");
        fixture.kernel.write(fixture.tree.sys().resolve("bus/pci/drivers_probe"), GPU2);
        fixture.kernel.write(fixture.tree.sys().resolve("bus/pci/drivers_probe"), AUDIO2);
        assertEquals("nvidia", fixture.driver(GPU2));
        fixture.service().reconcile();
        assertEquals("vfio-pci", fixture.driver(GPU2));
        assertEquals("vfio-pci", fixture.driver(AUDIO2));
        assertEquals("nvidia", fixture.driver(GPU1));
    }

    @Test
    void acceleratorsJoinOnlyWhenNamed() throws Exception {
        SysfsTree tree = bare().drivers("apex")
                .device("0000:05:00.0").ids("1ac1", "089a", "088000").driver("apex").group(20).add();
        fixture = new GpuFixture(tree, dir);
        assertTrue(fixture.service().list().isEmpty());
        fixture.close();
        fixture = new GpuFixture(tree, Files.createDirectories(dir.resolve("second")), Set.of("1ac1:089a"),
                Duration.ofSeconds(5));
        VfioService gpus = fixture.service();
        assertEquals(1, gpus.list().size());
        gpus.setMode(Bdf.parse("0000:05:00.0"), GpuMode.VFIO, "root");
        assertEquals("vfio-pci", fixture.driver("0000:05:00.0"));
        gpus.setMode(Bdf.parse("0000:05:00.0"), GpuMode.HOST, "root");
        assertEquals("apex", fixture.driver("0000:05:00.0"));
    }

    @Test
    void junkInputIsRejectedBeforeAnythingIsRead() throws Exception {
        VfioService gpus = on(DemoRigs.desktop(dir.resolve("rig")));
        Map<String, String> before = fixture.fingerprint();
        for (String junk : List.of("../../etc", "0000:01:00.0/../../x", "0000:01:00.0\n", "0000:01:00.8",
                "0000:01:00.0 ", "0000:01:00", "0000:1:00.0", "0000:01:00.0;rm -rf /", "", "ZZZZ:01:00.0")) {
            assertEquals(400, refused(() -> gpus.parseModeChange(junk, "vfio", "root")).status(), junk);
        }
        assertEquals(400, refused(() -> gpus.parseModeChange(GPU1, "VFIO", "root")).status());
        assertEquals(400, refused(() -> gpus.parseModeChange(GPU1, null, "root")).status());
        assertEquals(400, refused(() -> gpus.parseModeChange(GPU1, "changing", "root")).status(),
                "a mode the daemon reports but no toggle may ask for");
        assertEquals(404, refused(() -> gpus.setMode(Bdf.parse("0000:04:00.0"), GpuMode.VFIO, "root")).status(),
                "a NIC is not a GPU");
        assertEquals(before, fixture.fingerprint());
    }

    @Test
    void aMoveIsAnnouncedOnTheEventStream() throws Exception {
        VfioService gpus = on(DemoRigs.desktop(dir.resolve("rig")));
        var subscription = fixture.events.subscribe();
        gpus.setMode(Bdf.parse(GPU1), GpuMode.VFIO, "root");
        List<String> seen = new java.util.ArrayList<>();
        for (var event = subscription.next(1, TimeUnit.SECONDS); event != null;
             event = subscription.next(100, TimeUnit.MILLISECONDS)) {
            seen.add(event.type() + " " + event.data());
        }
        assertTrue(seen.stream().anyMatch(s -> s.contains("\"mode\":\"changing\"")), seen.toString());
        assertTrue(seen.get(seen.size() - 1).contains("\"mode\":\"vfio\""), seen.toString());
    }
}
