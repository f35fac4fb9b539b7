package org.rigdesk.app.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.TelemetryHistory;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;

/** The Telemetry page's state without the FX thread, against the demo rig's sampler. */
class TelemetryViewModelTest {

    @TempDir
    Path dir;

    @Test
    void loadsHistoryAndProcessesAndExportsWhatIsShown() throws Exception {
        ExecutorService background = Executors.newSingleThreadExecutor();
        try (DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop").withArgs("--sample-interval", "200")
                .start(); DaemonClient client = daemon.client()) {
            TelemetryViewModel model = new TelemetryViewModel(client, background, Runnable::run);
            model.gpuProperty().set("0000:01:00.0");
            Await.until(() -> {
                model.reload();
                return model.points().size() >= 3 && !model.processes().isEmpty();
            }, 30);
            // The polling above left reloads in flight; "ui" here is the background thread itself, so
            // let them finish before reading what is shown (in the app the FX thread orders this).
            background.submit(() -> { }).get();
            assertTrue(model.resolutionProperty().get().endsWith("samples"), model.resolutionProperty().get());
            String csv = model.csv();
            assertTrue(csv.startsWith("time,gpu,utilization_pct,memory_used_mib,temperature_c,power_w\n"), csv);
            assertEquals(model.points().size() + 1, csv.lines().count());
            assertTrue(csv.lines().skip(1).allMatch(l -> l.contains(",0000:01:00.0,")), csv);
            model.reloadTable();
            Await.until(() -> model.tableProperty().get().contains("NVIDIA-SMI"), 30);
        } finally {
            background.shutdownNow();
        }
    }

    @Test
    void longWindowsAreAveragedDownToWhatAChartCanDraw() {
        List<TelemetryHistory.Point> points = new ArrayList<>();
        for (int i = 0; i < 3600; i++) {
            points.add(new TelemetryHistory.Point(Instant.ofEpochSecond(i),
                    new TelemetryHistory.Values((double) (i % 2 == 0 ? 0 : 100), null, 50.0, null), null, null));
        }
        List<TelemetryHistory.Point> drawn = TelemetryViewModel.downsample(points, 300);
        assertEquals(300, drawn.size());
        assertEquals(50.0, drawn.get(0).avg().utilizationGpu(), "pairs of 0 and 100 average to 50");
        assertEquals(null, drawn.get(0).avg().memoryUsedMiB(), "absent stays absent");
        assertEquals(points, TelemetryViewModel.downsample(points.subList(0, 3600), 5000), "short lists are kept");
    }

    @Test
    void chartsHaveFixedScalesTheirNewestValueAndSayWhileTheyFill() {
        Instant now = Instant.parse("2026-12-02T10:00:00Z");
        List<TelemetryHistory.Point> points = List.of(
                new TelemetryHistory.Point(now.minusSeconds(20), new TelemetryHistory.Values(30.0, 2000.0, 50.0, 90.0), null, null),
                new TelemetryHistory.Point(now.minusSeconds(10), new TelemetryHistory.Values(42.4, 2600.0, 52.0, 121.2), null, null));
        org.rigdesk.api.wire.GpuSample card = new org.rigdesk.api.wire.GpuSample("0000:01:00.0", 0, null, "RTX 3060",
                null, 52.0, 42.0, null, 12288.0, 2600.0, 121.0, 170.0, 40.0, null, null, "host", now, null);
        assertEquals(100, TelemetryViewModel.upperBound(0, card, points));
        assertEquals(12288, TelemetryViewModel.upperBound(1, card, points), "the card's memory, not the data's peak");
        assertEquals(170, TelemetryViewModel.upperBound(3, card, points), "its power limit");
        assertEquals(3000, TelemetryViewModel.upperBound(1, null, points), "unknown card: the data, rounded up");
        assertEquals("Power · 121 W", TelemetryViewModel.title(3, points));
        assertEquals(25, TelemetryViewModel.tickUnit(100));
        assertEquals(50, TelemetryViewModel.tickUnit(170));
        assertEquals(5000, TelemetryViewModel.tickUnit(12288));
        assertEquals("Utilisation", TelemetryViewModel.title(0, List.of()));
        assertEquals("Collecting since 09:59:40", TelemetryViewModel.collecting(points, 300, now, java.time.ZoneOffset.UTC));
        assertEquals("", TelemetryViewModel.collecting(points, 20, now, java.time.ZoneOffset.UTC), "the window is full");
    }

    @Test
    void itOpensOnTheBusiestCardTheHostCanRead() {
        Instant now = Instant.parse("2026-12-02T10:00:00Z");
        var igpu = new org.rigdesk.api.wire.Gpu("0000:00:02.0", "8086", "4680", "Intel", "iGPU", "030000", "i915", "host",
                3, true, 0, null, List.of(), new org.rigdesk.api.wire.Gpu.Passthrough(false, List.of()), null);
        var quiet = org.rigdesk.app.testing.InMemoryRigdesk.gpu("0000:01:00.0", "RTX", org.rigdesk.api.wire.GpuMode.HOST, null);
        var busy = org.rigdesk.app.testing.InMemoryRigdesk.gpu("0000:02:00.0", "RTX", org.rigdesk.api.wire.GpuMode.HOST, null);
        java.util.Map<String, org.rigdesk.api.wire.GpuSample> latest = java.util.Map.of(
                quiet.bdf(), sample(quiet.bdf(), 5.0, "host", now), busy.bdf(), sample(busy.bdf(), 80.0, "host", now),
                igpu.bdf(), sample(igpu.bdf(), null, "none", now));
        assertEquals(busy.bdf(), TelemetryViewModel.busiest(List.of(igpu, quiet, busy), latest));
        assertEquals(quiet.bdf(), TelemetryViewModel.busiest(List.of(igpu, quiet, busy), java.util.Map.of()),
                "without samples: the first NVIDIA card");
    }

    @Test
    void jobsThatHadTheCardAreMarkedWhereTheyStartedAndEnded() {
        Instant now = Instant.parse("2026-12-02T10:00:00Z");
        String bdf = "0000:01:00.0";
        var done = job(12, org.rigdesk.api.wire.JobState.SUCCEEDED.wire(), List.of(bdf), now.minusSeconds(200), now.minusSeconds(100));
        var running = job(13, org.rigdesk.api.wire.JobState.RUNNING.wire(), List.of(bdf), now.minusSeconds(50), null);
        var elsewhere = job(14, org.rigdesk.api.wire.JobState.RUNNING.wire(), List.of("0000:02:00.0"), now.minusSeconds(40), null);
        var before = job(10, org.rigdesk.api.wire.JobState.SUCCEEDED.wire(), List.of(bdf), now.minusSeconds(900), now.minusSeconds(800));
        var idle = job(15, org.rigdesk.api.wire.JobState.READY.wire(), List.of(bdf), now.minusSeconds(30), null);
        List<TelemetryViewModel.Mark> marks = TelemetryViewModel.jobMarks(List.of(running, done, elsewhere, before, idle),
                bdf, now.minusSeconds(300), now);
        assertEquals(List.of("#12 ▶", "#12 ■", "#13 ▶"), marks.stream().map(TelemetryViewModel.Mark::label).toList());
        assertEquals(now.minusSeconds(200).getEpochSecond(), marks.get(0).epochSecond());
    }

    private static org.rigdesk.api.wire.Job job(long id, String state, List<String> gpus, Instant started, Instant finished) {
        return new org.rigdesk.api.wire.Job(id, "local", "job " + id, state, gpus, false, "qemu", "tcg", 1, 256, 60,
                started, started, finished, null, 0, null, null, null, null, null, null);
    }

    private static org.rigdesk.api.wire.GpuSample sample(String bdf, Double load, String source, Instant at) {
        return new org.rigdesk.api.wire.GpuSample(bdf, null, null, null, null, null, load, null, null, null, null, null,
                null, null, null, source, at, null);
    }
}
