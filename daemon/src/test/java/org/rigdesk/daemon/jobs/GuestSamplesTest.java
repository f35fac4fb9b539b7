package org.rigdesk.daemon.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuSample;
import org.rigdesk.api.wire.Json;
import org.rigdesk.daemon.events.EventHub;
import org.rigdesk.daemon.store.Database;
import org.rigdesk.daemon.store.Migrations;
import org.rigdesk.daemon.telemetry.MinuteAggregates;
import org.rigdesk.daemon.telemetry.TelemetryConfig;
import org.rigdesk.daemon.telemetry.TelemetryService;

class GuestSamplesTest {

    @TempDir
    Path dir;

    @Test
    void aGuestSampleIsShownForTheHostAddressTheJobHolds() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        Gpu inVm = new Gpu("0000:01:00.0", "10de", "2503", "NVIDIA Corporation", "GeForce RTX 3060", "030000",
                "vfio-pci", GpuMode.VFIO.wire(), 12, false, 0, null, List.of(), new Gpu.Passthrough(true, List.of()), "7");
        try (Database database = Database.open(dir.resolve("db"), Migrations.all())) {
            TelemetryService telemetry = new TelemetryService(new TelemetryConfig("nvidia-smi", null, 1000,
                    Duration.ofSeconds(60), () -> 30), () -> List.of(inVm), new EventHub(),
                    new MinuteAggregates(database), scheduler, Clock.systemUTC());
            assertEquals(GpuSample.NONE, telemetry.status().samples().get(0).source(), "before: the host sees nothing");
            // As the guest agent prints it (values it cannot read are null).
            String line = "{\"event\":\"sample\",\"gpus\":[{\"index\":0,\"temperatureC\":61,\"utilizationGpu\":97,"
                    + "\"utilizationMemory\":40,\"memoryTotalMiB\":12288,\"memoryUsedMiB\":9000,\"powerDrawW\":165.5,"
                    + "\"powerLimitW\":170,\"fanSpeedPct\":null,\"smClockMHz\":1800,\"name\":\"NVIDIA GeForce RTX 3060\"}]}";
            GuestSamples.forward(new JobRun.GuestSample(7, List.of("0000:01:00.0"), Json.mapper().readTree(line)),
                    telemetry);
            GpuSample shown = telemetry.status().samples().get(0);
            assertEquals(GpuSample.GUEST, shown.source());
            assertEquals("0000:01:00.0", shown.bdf());
            assertEquals(97.0, shown.utilizationGpu());
            assertEquals(165.5, shown.powerDrawW());

            // A hostile guest's sample: nonsense readings are dropped, its text cleaned and cut.
            String forged = "{\"event\":\"sample\",\"gpus\":[{\"temperatureC\":-40,\"utilizationGpu\":1e308,"
                    + "\"powerDrawW\":99,\"memoryUsedMiB\":1e30,\"name\":\"<b>pwned</b>\\u001b[2J" + "x".repeat(500) + "\"}]}";
            GuestSamples.forward(new JobRun.GuestSample(7, List.of("0000:01:00.0"), Json.mapper().readTree(forged)),
                    telemetry);
            GpuSample hostile = telemetry.status().samples().get(0);
            assertEquals(null, hostile.temperatureC());
            assertEquals(null, hostile.utilizationGpu());
            assertEquals(null, hostile.memoryUsedMiB());
            assertEquals(99.0, hostile.powerDrawW());
            assertEquals("<b>pwned</b>?[2J" + "x".repeat(GuestEvent.MAX_TEXT - 16) + "…", hostile.name());
        } finally {
            scheduler.shutdownNow();
        }
    }
}
