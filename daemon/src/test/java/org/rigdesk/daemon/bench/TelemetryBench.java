package org.rigdesk.daemon.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.TelemetryStatus;
import org.rigdesk.daemon.events.EventHub;
import org.rigdesk.daemon.store.Database;
import org.rigdesk.daemon.store.Migrations;
import org.rigdesk.daemon.telemetry.MinuteAggregates;
import org.rigdesk.daemon.telemetry.NvidiaSmiCsv;
import org.rigdesk.daemon.telemetry.TelemetryConfig;
import org.rigdesk.daemon.telemetry.TelemetryService;
import org.rigdesk.testkit.BenchReport;

/** Telemetry cost: parse throughput, and daemon CPU per hour of sampling 8 GPUs at 1 s. */
@Tag("bench")
class TelemetryBench {

    private static final String LINE = "%d, GPU-5a3e0f6c-8d41-2b7e-91a3-4c0d2e6f7a18, NVIDIA GeForce RTX 3090, "
            + "00000000:%02X:00.0, 550.54.15, 71, 97, 63, 24576, 20321, 348.72, 350.00, 78, 1950, P2";

    @TempDir
    Path dir;

    @Test
    void parseThroughput() {
        String[] lines = new String[8];
        for (int i = 0; i < 8; i++) {
            lines[i] = String.format(LINE, i, i + 1);
        }
        Instant at = Instant.now();
        for (int i = 0; i < 200_000; i++) {
            NvidiaSmiCsv.gpuLine(lines[i & 7], at); // warm-up
        }
        int count = 2_000_000;
        long start = System.nanoTime();
        long checksum = 0;
        for (int i = 0; i < count; i++) {
            checksum += NvidiaSmiCsv.gpuLine(lines[i & 7], at).bdf().length();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        BenchReport.row("telemetry: nvidia-smi CSV parse", String.format("%,.0f", count / seconds), "lines/s",
                "one thread, 15-field lines (" + checksum % 7 + ")");
    }

    @Test
    void daemonCpuPerHourOfEightGpusAtOneSecond() throws Exception {
        // A sampler printing 8 GPUs every 50 ms: 20 times the real rate, so 30 s here is 10 minutes of sampling.
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            burst.append("echo '").append(String.format(LINE, i, i + 1)).append("'\n");
        }
        Path script = dir.resolve("nvidia-smi");
        Files.writeString(script, "#!/bin/bash\nwhile true; do\n" + burst + "sleep 0.05\ndone\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        EventHub events = new EventHub();
        try (Database database = Database.open(dir.resolve("db"), Migrations.all())) {
            var subscriber = events.subscribe(); // one SSE subscriber, as with a window open
            TelemetryService telemetry = new TelemetryService(new TelemetryConfig(script.toString(), null, 50,
                    Duration.ofSeconds(3600), () -> 30), List::<Gpu>of, events, new MinuteAggregates(database),
                    scheduler, Clock.systemUTC());
            telemetry.start();
            while (!TelemetryStatus.OK.equals(telemetry.status().state())) {
                Thread.sleep(20);
            }
            Thread.sleep(2_000); // warm-up
            long cpuBefore = jvmCpuNanos();
            long wallBefore = System.nanoTime();
            Thread.sleep(30_000);
            long cpu = jvmCpuNanos() - cpuBefore;
            double wall = (System.nanoTime() - wallBefore) / 1e9;
            telemetry.close();
            double sampledSeconds = wall * 20; // 20 x real time
            double cpuPerHour = cpu / 1e9 * (3600 / sampledSeconds);
            BenchReport.row("telemetry: daemon CPU, 8 GPUs sampled at 1 s", String.format("%.1f", cpuPerHour),
                    "CPU s per hour", String.format("%.2f%% of one core (whole JVM, measured %.0f s at 20x rate)",
                            cpuPerHour / 36, wall));
        } finally {
            scheduler.shutdownNow();
            events.close();
        }
    }

    private static long jvmCpuNanos() throws IOException {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
