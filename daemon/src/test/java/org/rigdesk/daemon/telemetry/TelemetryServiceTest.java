package org.rigdesk.daemon.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuSample;
import org.rigdesk.api.wire.TelemetryHistory;
import org.rigdesk.api.wire.TelemetryStatus;
import org.rigdesk.daemon.events.EventHub;
import org.rigdesk.daemon.events.Subscription;
import org.rigdesk.daemon.store.Database;
import org.rigdesk.daemon.store.Migrations;

/** The sampler against small scripts that behave like a good, a dying, a hung and a confused nvidia-smi. */
class TelemetryServiceTest {

    private static final String LINE = "0, GPU-x, NVIDIA GeForce RTX 3060, 00000000:01:00.0, 550.54.15, 40, 25, 5, "
            + "12288, 1000, 50.00, 170.00, 30, 1500, P2";

    @TempDir
    Path dir;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final EventHub events = new EventHub();
    private Database database;
    private TelemetryService telemetry;
    private MutableClock clock;

    @BeforeEach
    void open() throws Exception {
        database = Database.open(dir.resolve("rigdesk.db"), Migrations.all());
    }

    @AfterEach
    void close() {
        if (telemetry != null) {
            telemetry.close();
        }
        scheduler.shutdownNow();
        database.close();
    }

    private Path script(String body) throws IOException {
        Path file = dir.resolve("nvidia-smi-" + System.nanoTime());
        Files.writeString(file, "#!/bin/bash\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private TelemetryService start(String executable, int intervalMs) {
        clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
        telemetry = new TelemetryService(new TelemetryConfig(executable, null, intervalMs, Duration.ofSeconds(60),
                () -> 30), List::<Gpu>of, events, new MinuteAggregates(database), scheduler, clock);
        telemetry.start();
        return telemetry;
    }

    @Test
    void samplesArriveAndAreFannedOut() throws Exception {
        Subscription subscription = events.subscribe();
        TelemetryService service = start(script("while true; do echo '" + LINE + "'; sleep 0.1; done\n").toString(),
                100);
        await(() -> TelemetryStatus.OK.equals(service.status().state()));
        GpuSample sample = service.status().samples().get(0);
        assertEquals("0000:01:00.0", sample.bdf());
        assertEquals(25.0, sample.utilizationGpu());
        var event = subscription.next(5, TimeUnit.SECONDS);
        assertNotNull(event);
        assertEquals("sample", event.type());
        assertTrue(event.data().contains("\"bdf\":\"0000:01:00.0\""), event.data());
        assertTrue(service.command().containsAll(List.of("--format=csv,noheader,nounits", "-lms", "100")));
    }

    @Test
    void aMissingExecutableIsUnavailableWithTheReason() throws Exception {
        TelemetryService service = start(dir.resolve("no-such-nvidia-smi").toString(), 1000);
        await(() -> TelemetryStatus.UNAVAILABLE.equals(service.status().state()));
        assertTrue(service.status().reason().contains("cannot run"), service.status().reason());
    }

    @Test
    void aChildThatDiesIsRestartedWithBackoff() throws Exception {
        Path starts = dir.resolve("starts");
        TelemetryService service = start(script("echo x >> " + starts + "\necho '" + LINE + "'\n"
                + "echo 'NVML: driver gone' >&2\nexit 9\n").toString(), 1000);
        await(() -> service.status().reason() != null && service.status().reason().contains("code 9"));
        assertTrue(service.status().reason().contains("NVML: driver gone"), "stderr is in the reason");
        await(() -> lines(starts) >= 2);
        assertEquals(Duration.ofSeconds(1), SamplingChild.backoff(1));
        assertEquals(Duration.ofSeconds(4), SamplingChild.backoff(3));
        assertEquals(SamplingChild.MAX_BACKOFF, SamplingChild.backoff(99));
    }

    @Test
    void aChildThatHangsIsKilledAndRestarted() throws Exception {
        Path starts = dir.resolve("starts");
        // Prints once, then stays silent: the watchdog allows max(5 s, 5 intervals).
        TelemetryService service = start(script("echo x >> " + starts + "\necho '" + LINE + "'\nexec sleep 600\n")
                .toString(), 100);
        await(() -> TelemetryStatus.OK.equals(service.status().state()));
        await(() -> service.status().reason() != null && service.status().reason().contains("hung"));
        await(() -> lines(starts) >= 2);
        assertEquals(1, sleepers(), "only the new child sleeps: the hung one was killed, not left behind");
    }

    @Test
    void garbageMakesItUnavailableAndItRecovers() throws Exception {
        Path flag = dir.resolve("fixed");
        TelemetryService service = start(script("if [ -f " + flag + " ]; then while true; do echo '" + LINE
                + "'; sleep 0.1; done; fi\nwhile true; do echo 'Unable to determine the device handle'; sleep 0.05; done\n")
                .toString(), 100);
        await(() -> TelemetryStatus.UNAVAILABLE.equals(service.status().state()));
        assertTrue(service.status().reason().contains("not the expected CSV"), service.status().reason());
        Files.createFile(flag);
        await(() -> TelemetryStatus.OK.equals(service.status().state()));
        assertNull(service.status().reason());
    }

    @Test
    void closingLeavesNoChildProcess() throws Exception {
        TelemetryService service = start(script("while true; do echo '" + LINE + "'; sleep 0.1; done\n").toString(),
                100);
        await(() -> service.childPid().isPresent());
        long pid = service.childPid().orElseThrow();
        service.close();
        telemetry = null;
        await(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        assertEquals(0, ProcessHandle.current().children().filter(ProcessHandle::isAlive).count(),
                "no child left (alive or zombie)");
    }

    @Test
    void historyIsRawUpToAnHourAndMinuteAggregatesBeyondAndOldMinutesArePruned() throws Exception {
        TelemetryService service = start(dir.resolve("absent").toString(), 1000);
        Instant start = clock.instant();
        for (int second = 0; second < 180; second++) {
            clock.set(start.plusSeconds(second));
            service.line(LINE.replace(", 25, 5, ", ", " + (second % 60) + ", 5, "));
        }
        clock.set(start.plusSeconds(181));
        service.line(LINE);
        TelemetryHistory raw = service.history("0000:01:00.0", 60);
        assertEquals("raw", raw.resolution());
        assertEquals(60, raw.points().size(), "one point per sample in the last 60 s (121..179 and 181)");
        awaitMinutes(service, 3);
        TelemetryHistory minutes = service.history("0000:01:00.0", 7200);
        assertEquals("minute", minutes.resolution());
        assertEquals(3, minutes.points().size());
        TelemetryHistory.Point first = minutes.points().get(0);
        assertEquals(0.0, first.min().utilizationGpu());
        assertEquals(59.0, first.max().utilizationGpu());
        assertEquals(29.5, first.avg().utilizationGpu());
        assertEquals(1000.0, first.avg().memoryUsedMiB());

        MinuteAggregates aggregates = new MinuteAggregates(database);
        assertEquals(0, aggregates.prune(1, start.plus(Duration.ofHours(23))));
        assertEquals(3, aggregates.prune(1, start.plus(Duration.ofDays(2))));
        assertTrue(service.history("0000:01:00.0", 7200).points().isEmpty());
    }

    @Test
    void aGpuThatStopsBeingReportedIsDroppedWhileSamplingGoesOn() throws Exception {
        // A quiet child: no restarts flip the state while the test feeds lines itself.
        TelemetryService service = start(script("exec sleep 600\n").toString(), 1000);
        Instant start = clock.instant();
        String second = LINE.replace("00000000:01:00.0", "00000000:02:00.0").replace("0, GPU-x", "1, GPU-y");
        service.line(LINE);
        service.line(second);
        assertEquals(2, service.status().samples().size());
        for (int s = 1; s <= 10; s++) {
            clock.set(start.plusSeconds(s));
            service.line(LINE); // the second GPU fell off the bus
        }
        assertEquals(List.of("0000:01:00.0"), service.status().samples().stream().map(GpuSample::bdf).toList());
    }

    private void awaitMinutes(TelemetryService service, int count) throws Exception {
        await(() -> {
            try {
                return service.history("0000:01:00.0", 7200).points().size() >= count;
            } catch (java.sql.SQLException e) {
                return false;
            }
        });
    }

    private static long sleepers() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("sleep 600")).count();
    }

    private static int lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(20);
        }
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
