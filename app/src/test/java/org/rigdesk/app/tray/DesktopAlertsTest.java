package org.rigdesk.app.tray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuSample;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.RunnerStatus;

class DesktopAlertsTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private static Job job(long id, String state, Instant finished) {
        return new Job(id, Job.KIND_GITHUB, "octo/gpu-ci / CI / test", state, List.of(), false, "qemu", "kvm", 2, 2048,
                3600, NOW.minusSeconds(200), NOW.minusSeconds(185), finished, null, 0, null, "octo/gpu-ci", "CI",
                "test", 1L, 1);
    }

    @Test
    void aJobNotifiesOnceWhenItEndsAndOldHistoryIsQuiet() {
        DesktopAlerts alerts = new DesktopAlerts(Clock.fixed(NOW, ZoneOffset.UTC));
        assertTrue(alerts.job(job(1, JobState.RUNNING.wire(), null)).isEmpty());
        DesktopAlerts.Alert done = alerts.job(job(1, JobState.SUCCEEDED.wire(), NOW)).orElseThrow();
        assertEquals("✓ Job succeeded", done.summary());
        assertEquals("octo/gpu-ci / CI / test after 3 min 5 s", done.body());
        assertFalse(done.critical());
        assertTrue(alerts.job(job(1, JobState.SUCCEEDED.wire(), NOW)).isEmpty(), "the same event twice notifies once");
        assertTrue(alerts.job(job(2, JobState.FAILED.wire(), NOW.minusSeconds(3600))).isEmpty(), "history loaded at start");
        assertTrue(alerts.job(job(3, JobState.FAILED.wire(), NOW)).orElseThrow().critical());
    }

    @Test
    void hotCardsNotifyOncePerQuarterHourEach() {
        Instant[] now = {NOW};
        DesktopAlerts alerts = new DesktopAlerts(new Clock() {
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            public Instant instant() {
                return now[0];
            }
        });
        GpuSample hot = new GpuSample("0000:01:00.0", 0, null, "RTX 3060", null, 91.0, null, null, null, null, null,
                null, null, null, null, GpuSample.HOST, NOW, null);
        assertTrue(alerts.sample(hot, 85).orElseThrow().body().contains("91 °C"));
        assertTrue(alerts.sample(hot, 85).isEmpty());
        now[0] = NOW.plus(Duration.ofMinutes(16));
        assertTrue(alerts.sample(hot, 85).isPresent());
        assertTrue(alerts.sample(hot, 95).isEmpty(), "under its threshold");
    }

    @Test
    void modesConnectionAndRunnerNotifyOnTransitionsOnly() {
        DesktopAlerts alerts = new DesktopAlerts(Clock.fixed(NOW, ZoneOffset.UTC));
        Gpu host = new Gpu("0000:01:00.0", "10de", "2503", "NVIDIA", "RTX 3060", "030000", "nvidia", GpuMode.HOST.wire(), 12,
                false, 0, null, List.of(), null, null);
        Gpu vfio = new Gpu("0000:01:00.0", "10de", "2503", "NVIDIA", "RTX 3060", "030000", "vfio-pci", GpuMode.VFIO.wire(), 12,
                false, 0, null, List.of(), null, null);
        assertTrue(alerts.gpu(host).isEmpty(), "first sight is not a change");
        assertTrue(alerts.gpu(vfio).orElseThrow().body().contains("vfio-pci"));
        assertTrue(alerts.connection(true).isEmpty());
        assertTrue(alerts.connection(false).orElseThrow().critical());
        assertEquals("rigdeskd is back", alerts.connection(true).orElseThrow().summary());
        RunnerStatus ok = status(null);
        RunnerStatus down = status("backing off: GitHub answered 502");
        assertTrue(alerts.runner(ok).isEmpty());
        assertEquals("⚠ Can't reach GitHub", alerts.runner(down).orElseThrow().summary());
        assertTrue(alerts.runner(down).isEmpty());
        assertEquals("✓ Ready for jobs", alerts.runner(ok).orElseThrow().summary());
    }

    @Test
    void aQuarantineNotifiesOnceWithWhyAndTheRemedy() {
        DesktopAlerts alerts = new DesktopAlerts(Clock.fixed(NOW, ZoneOffset.UTC));
        Gpu lent = org.rigdesk.app.testing.InMemoryRigdesk.gpu("0000:01:00.0", "RTX 3060",
                org.rigdesk.api.wire.GpuMode.VFIO, null);
        Gpu.Health fell = new Gpu.Health(false, NOW.toString(), List.of(new Gpu.Blocker("unhealthy",
                "the job's VM logged Xid 79 (GPU has fallen off the bus.) for its GPU at 0000:00:05",
                "The card fell off the bus: reboot the host.")));
        assertTrue(alerts.gpu(lent).isEmpty(), "first sight of a healthy card");
        DesktopAlerts.Alert alert = alerts.gpu(lent.withHealth(fell)).orElseThrow();
        assertEquals("✗ GPU quarantined", alert.summary());
        assertTrue(alert.critical(), "the tray asks for a look");
        assertEquals("RTX 3060 (0000:01:00.0): no job gets it; the job's VM logged Xid 79 (GPU has fallen off the bus.)"
                + " for its GPU at 0000:00:05.\nThe card fell off the bus: reboot the host.", alert.body());
        assertTrue(alerts.gpu(lent.withHealth(fell)).isEmpty(), "told once per quarantine");
        assertTrue(alerts.gpu(lent.withHealth(new Gpu.Health(true, NOW.toString(), List.of()))).isEmpty());
        assertTrue(alerts.gpu(lent.withHealth(fell)).isPresent(), "a new quarantine is told again");
    }

    @Test
    void lendingNotifiesWhenTheCardIsLentRefusedOrBackOnTheDesk() {
        DesktopAlerts alerts = new DesktopAlerts(Clock.fixed(NOW, ZoneOffset.UTC));
        Gpu desk = org.rigdesk.app.testing.InMemoryRigdesk.gpu("0000:01:00.0", "RTX 3060",
                org.rigdesk.api.wire.GpuMode.HOST, null);
        Gpu vfio = org.rigdesk.app.testing.InMemoryRigdesk.gpu("0000:01:00.0", "RTX 3060",
                org.rigdesk.api.wire.GpuMode.VFIO, null);
        var lending = (java.util.function.BiFunction<String, String, org.rigdesk.api.wire.GpuLending>)
                (state, detail) -> org.rigdesk.app.testing.InMemoryRigdesk.lending("on-demand", state, detail);
        assertTrue(alerts.gpu(desk.withLending(lending.apply("standby", "On demand"))).isEmpty(), "first sight");
        assertTrue(alerts.gpu(desk.withLending(lending.apply("moving", "Moving to a VM"))).isEmpty(), "on its way");
        DesktopAlerts.Alert lent = alerts.gpu(vfio.withLending(lending.apply("lent", "Lent to CI: for job whisper")))
                .orElseThrow();
        assertEquals("○ Lent to CI", lent.summary());
        assertTrue(lent.body().contains("RTX 3060 (0000:01:00.0)") && lent.body().contains("whisper"), lent.body());
        assertTrue(alerts.gpu(vfio.withLending(lending.apply("lent", "Lent to CI: for job whisper"))).isEmpty(),
                "the same state twice notifies once");
        DesktopAlerts.Alert back = alerts.gpu(desk.withLending(lending.apply("standby", "On demand"))).orElseThrow();
        assertEquals("⌂ On my desk again", back.summary());
        assertTrue(back.body().contains("(nvidia)"), back.body());
        DesktopAlerts.Alert kept = alerts.gpu(desk.withLending(lending.apply("blocked",
                "Wanted for CI, kept on your desk: held open by 4242 (python3) (tried again every 15 s)"))).orElseThrow();
        assertEquals("⌂ Kept on my desk", kept.summary());
        assertTrue(kept.body().contains("python3"), kept.body());
    }

    private static RunnerStatus status(String github) {
        return new RunnerStatus(true, "octo", "https://github.com/octo", "https://api.github.com", List.of(), "rigdesk",
                1, 1, 1, null, List.of(), null, null, "running", false, "rigdesk-ws-", 1, 1024, List.of(), github,
                "open", List.of(), 15, List.of(), null, List.of(), "token", null, null, null, "gpu", List.of(), null);
    }

    @Test
    void theTrayMenuListsRunningJobsAndTheRunnerSwitch() {
        Job running = job(5, JobState.RUNNING.wire(), null);
        TrayState busy = TrayModel.of(true, List.of(running), status(null), null);
        assertEquals(TrayState.Status.BUSY, busy.status());
        assertEquals(List.of("Open Rigdesk", "", "● #5 octo/gpu-ci / CI / test · Running", "", "Pause runner",
                "Quit Rigdesk"), busy.menu().stream().map(TrayState.MenuItem::label).toList());
        assertEquals("job:5", busy.menu().get(2).action());
        assertEquals(TrayState.Status.ATTENTION, TrayModel.of(false, List.of(), null, null).status());
        assertEquals(TrayState.Status.ATTENTION, TrayModel.of(true, List.of(), null, "Job failed").status());
        assertEquals(TrayState.Status.IDLE, TrayModel.of(true, List.of(), null, null).status());
    }

    @Test
    void theTrayMenuOffersEachLendableGpuInOneClickAndTheTooltipCountsThem() {
        Gpu lent = org.rigdesk.app.testing.InMemoryRigdesk.gpu("0000:01:00.0", "RTX 3060",
                org.rigdesk.api.wire.GpuMode.VFIO, null).withLending(org.rigdesk.app.testing.InMemoryRigdesk
                .lending("ci", "lent", "Lent to CI"));
        Gpu desk = org.rigdesk.app.testing.InMemoryRigdesk.gpu("0000:02:00.0", "RTX 3060",
                org.rigdesk.api.wire.GpuMode.HOST, null).withLending(org.rigdesk.app.testing.InMemoryRigdesk
                .lending("desk", "desk", "On your desk"));
        TrayState tray = TrayModel.of(true, List.of(), status(null), null, List.of(lent, desk));
        List<String> labels = tray.menu().stream().map(TrayState.MenuItem::label).toList();
        assertEquals(List.of("Open Rigdesk", "", "No jobs running", "", "RTX 3060 (01:00.0): ○ Lent to CI",
                "    Use on my desk", "RTX 3060 (02:00.0): ⌂ On my desk", "    Lend to CI", "", "Pause runner",
                "Quit Rigdesk"), labels);
        assertEquals("reclaim:0000:01:00.0", tray.menu().get(5).action());
        assertEquals("lend:0000:02:00.0", tray.menu().get(7).action());
        assertTrue(tray.tooltip().contains("1 of 2 GPUs lent"), tray.tooltip());
        assertFalse(TrayModel.of(false, List.of(), null, null, List.of(lent)).menu().get(5).enabled(),
                "no lending while the daemon is away");
    }
}
