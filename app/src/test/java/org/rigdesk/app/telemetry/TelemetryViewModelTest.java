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
import org.rigdesk.daemon.testing.Await;
import org.rigdesk.daemon.testing.DaemonProcess;

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
}
