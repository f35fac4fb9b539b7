package org.rigdesk.daemon.telemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.rigdesk.api.wire.ComputeProcess;
import org.rigdesk.api.wire.EventType;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.GpuSample;
import org.rigdesk.api.wire.TelemetryHistory;
import org.rigdesk.api.wire.TelemetryStatus;
import org.rigdesk.daemon.events.EventHub;
import org.rigdesk.daemon.host.CommandRunner;

/**
 * Live GPU telemetry: one long-running nvidia-smi per host, parsed and keyed by PCI address;
 * the last hour in memory, minute aggregates in SQLite, samples fanned out as {@code sample}
 * events. When nvidia-smi is missing, dies, hangs or prints garbage, the state says so and the
 * child is restarted with backoff; the daemon itself never stops for it.
 */
public class TelemetryService implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TelemetryService.class.getName());
    private static final int GARBAGE_LIMIT = 3;
    private static final Duration RAW_WINDOW = Duration.ofHours(1);

    private final TelemetryConfig config;
    private final Supplier<List<Gpu>> inventory;
    private final EventHub events;
    private final MinuteAggregates minutes;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "telemetry-writer");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, GpuSample> latest = new ConcurrentHashMap<>();
    private final Map<String, GpuSample> guest = new ConcurrentHashMap<>();
    private final Map<String, SampleRing> rings = new ConcurrentHashMap<>();
    private final SamplingChild child;
    private volatile int intervalMs;
    private volatile String state = TelemetryStatus.STARTING;
    private volatile String reason = "waiting for the first sample from nvidia-smi";
    private volatile List<ComputeProcess> processes = List.of();
    private volatile boolean paused;
    private int garbage;
    private String table;
    private long tableAtNanos;
    private String tableError;

    public TelemetryService(TelemetryConfig config, Supplier<List<Gpu>> inventory, EventHub events,
                            MinuteAggregates minutes, ScheduledExecutorService scheduler, Clock clock) {
        this.config = config;
        this.inventory = inventory;
        this.events = events;
        this.minutes = minutes;
        this.scheduler = scheduler;
        this.clock = clock;
        this.intervalMs = config.intervalMs();
        this.child = new SamplingChild(this::command, this::silenceLimit, new SamplingChild.Listener() {
            @Override
            public void onLine(String line) {
                line(line);
            }

            @Override
            public void onDown(String why) {
                down(why);
            }
        }, scheduler);
    }

    public void start() {
        child.start();
        scheduler.scheduleWithFixedDelay(this::pollProcesses, 1, config.processesEvery().toSeconds(), TimeUnit.SECONDS);
        if (config.rocmSmi() != null) {
            scheduler.scheduleWithFixedDelay(this::pollRocm, 1, Math.max(1, intervalMs / 1000), TimeUnit.SECONDS);
        }
        scheduler.scheduleWithFixedDelay(this::prune, 0, 1, TimeUnit.HOURS);
    }

    /** Applies a new sample interval (from settings): the child restarts with it. */
    public void setInterval(int millis) {
        if (millis != intervalMs) {
            intervalMs = millis;
            child.restartNow();
        }
    }

    List<String> command() {
        return List.of(config.nvidiaSmi(), "--query-gpu=" + String.join(",", NvidiaSmiCsv.GPU_FIELDS),
                "--format=csv,noheader,nounits", "-lms", Integer.toString(intervalMs));
    }

    private Duration silenceLimit() {
        return Duration.ofMillis(Math.max(5_000, 5L * intervalMs));
    }

    void line(String line) {
        GpuSample sample;
        try {
            sample = NvidiaSmiCsv.gpuLine(line, clock.instant());
        } catch (IllegalArgumentException e) {
            boolean giveUp;
            synchronized (this) {
                giveUp = ++garbage >= GARBAGE_LIMIT;
            }
            LOG.fine(() -> "unparseable nvidia-smi line: " + e.getMessage());
            if (giveUp) {
                child.restartLater("nvidia-smi prints output that is not the expected CSV (" + e.getMessage() + ")");
            }
            return;
        }
        synchronized (this) {
            garbage = 0;
        }
        child.healthy();
        if (!TelemetryStatus.OK.equals(state)) {
            LOG.info("telemetry available");
        }
        state = TelemetryStatus.OK;
        reason = null;
        accept(sample);
    }

    private void accept(GpuSample sample) {
        latest.put(sample.bdf(), sample);
        rings.computeIfAbsent(sample.bdf(), bdf -> new SampleRing(ringCapacity())).add(sample);
        MinuteAggregates.Bucket finished = minutes.add(sample);
        if (finished != null) {
            writer.execute(() -> {
                try {
                    minutes.write(finished);
                } catch (SQLException e) {
                    LOG.warning("cannot store telemetry aggregates: " + e.getMessage());
                }
            });
        }
        events.publish(EventType.SAMPLE, sample);
    }

    /** In-VM telemetry from a job's guest agent (source "guest"). */
    public void acceptGuest(GpuSample sample) {
        GpuSample tagged = new GpuSample(sample.bdf(), sample.index(), sample.uuid(), sample.name(),
                sample.driverVersion(), sample.temperatureC(), sample.utilizationGpu(), sample.utilizationMemory(),
                sample.memoryTotalMiB(), sample.memoryUsedMiB(), sample.powerDrawW(), sample.powerLimitW(),
                sample.fanSpeedPct(), sample.smClockMHz(), sample.pstate(), GpuSample.GUEST, clock.instant(), null);
        guest.put(tagged.bdf(), tagged);
        accept(tagged);
    }

    public void forgetGuest(String bdf) {
        guest.remove(bdf);
    }

    private void down(String why) {
        state = TelemetryStatus.UNAVAILABLE;
        reason = why;
        events.publish(EventType.TELEMETRY, new org.rigdesk.api.wire.TelemetryEvent(state, why));
    }

    private int ringCapacity() {
        return (int) Math.min(36_000, RAW_WINDOW.toMillis() / Math.max(100, intervalMs) + 60);
    }

    /** Latest sample per GPU: host-visible ones, "none" for cards on vfio-pci, "guest" from job VMs. */
    public TelemetryStatus status() {
        Instant now = clock.instant();
        // While nvidia-smi runs, a GPU it stopped listing (gone from the bus, driver unloaded) is
        // dropped rather than shown with old values; when nvidia-smi itself is down, the last
        // values stay, with their age, beside the "unavailable" state.
        boolean sampling = TelemetryStatus.OK.equals(state);
        long staleMillis = Math.max(5_000, 5L * intervalMs);
        latest.values().removeIf(sample -> sampling && GpuSample.HOST.equals(sample.source())
                && now.toEpochMilli() - sample.at().toEpochMilli() > staleMillis);
        List<GpuSample> samples = new ArrayList<>();
        for (Gpu gpu : inventory.get()) {
            GpuSample fromGuest = guest.get(gpu.bdf());
            GpuSample fromHost = latest.get(gpu.bdf());
            if (gpu.is(GpuMode.VFIO) || gpu.usedBy() != null) {
                samples.add(fromGuest != null ? fromGuest.withAge(now) : GpuSample.invisible(gpu.bdf()));
            } else if (fromHost != null && GpuSample.HOST.equals(fromHost.source())) {
                samples.add(fromHost.withAge(now));
            }
        }
        // Cards the inventory does not list (another vendor's sampler, a hot-plug) still show.
        latest.values().stream().filter(s -> samples.stream().noneMatch(k -> k.bdf().equals(s.bdf())))
                .sorted(Comparator.comparing(GpuSample::bdf)).forEach(s -> samples.add(s.withAge(now)));
        return new TelemetryStatus(state, reason, intervalMs, samples);
    }

    /** Raw samples for windows up to an hour, minute aggregates beyond. */
    public TelemetryHistory history(String bdf, int seconds) throws SQLException {
        Instant since = clock.instant().minusSeconds(seconds);
        if (seconds <= RAW_WINDOW.toSeconds()) {
            SampleRing ring = rings.get(bdf);
            List<TelemetryHistory.Point> points = ring == null ? List.of() : ring.since(since).stream()
                    .map(s -> new TelemetryHistory.Point(s.at(), new TelemetryHistory.Values(s.utilizationGpu(),
                            s.memoryUsedMiB(), s.temperatureC(), s.powerDrawW()), null, null))
                    .toList();
            return new TelemetryHistory(bdf, seconds, "raw", points);
        }
        return new TelemetryHistory(bdf, seconds, "minute", minutes.since(bdf, since));
    }

    public List<ComputeProcess> processes() {
        return processes;
    }

    /** The plain {@code nvidia-smi} table, run at most once a second whoever asks. */
    public synchronized String table() throws IOException {
        if (table != null || tableError != null) {
            if (System.nanoTime() - tableAtNanos < TimeUnit.SECONDS.toNanos(1)) {
                if (tableError != null) {
                    throw new IOException(tableError);
                }
                return table;
            }
        }
        if (paused) {
            throw new IOException("a GPU is changing drivers; ask again in a moment");
        }
        tableAtNanos = System.nanoTime();
        try {
            table = CommandRunner.run(List.of(config.nvidiaSmi()), Duration.ofSeconds(10));
            tableError = null;
            return table;
        } catch (IOException e) {
            table = null;
            tableError = e.getMessage();
            throw e;
        }
    }

    private synchronized void pollProcesses() {
        if (paused) {
            return;
        }
        try {
            String text = CommandRunner.run(List.of(config.nvidiaSmi(),
                    "--query-compute-apps=" + NvidiaSmiCsv.APP_FIELDS, "--format=csv,noheader,nounits"),
                    Duration.ofSeconds(10));
            List<ComputeProcess> parsed = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("No running")) {
                    continue;
                }
                try {
                    parsed.add(NvidiaSmiCsv.appLine(line));
                } catch (IllegalArgumentException e) {
                    LOG.fine(() -> "unparseable compute-apps line: " + e.getMessage());
                }
            }
            processes = List.copyOf(parsed);
        } catch (IOException e) {
            processes = List.of();
        }
    }

    private void pollRocm() {
        try {
            String json = CommandRunner.run(List.of(config.rocmSmi(), "--showuse", "--showtemp", "--showpower",
                    "--showmemuse", "--showbus", "--json"), Duration.ofSeconds(10));
            for (GpuSample sample : RocmSmiJson.parse(json, clock.instant())) {
                accept(sample);
            }
        } catch (IOException e) {
            LOG.fine(() -> "rocm-smi failed: " + e.getMessage());
        }
    }

    private void prune() {
        try {
            int gone = minutes.prune(config.historyDays().get(), clock.instant());
            if (gone > 0) {
                LOG.fine(() -> "pruned " + gone + " telemetry minutes");
            }
        } catch (SQLException e) {
            LOG.warning("cannot prune telemetry history: " + e.getMessage());
        }
    }

    /** Stops every nvidia-smi we run (a GPU's driver is about to change); {@link #resume()} restarts sampling. */
    public void pause() {
        paused = true;
        synchronized (this) {
            // table() and the process poll run under this lock or check the flag: none is running now.
        }
        child.pause();
    }

    public void resume() {
        paused = false;
        child.resume();
    }

    public Optional<Long> childPid() {
        return Optional.ofNullable(child.pid());
    }

    public Optional<GpuSample> latest(String bdf) {
        return Optional.ofNullable(latest.get(bdf));
    }

    /** Where rocm-smi is, if anywhere on PATH. */
    public static String findOnPath(String name, String path) {
        for (String dir : (path == null ? "" : path).split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    @Override
    public void close() {
        child.close();
        writer.shutdown();
    }
}
