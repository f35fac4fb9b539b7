package org.rigdesk.app.telemetry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.wire.ComputeProcess;
import org.rigdesk.api.wire.GpuSample;
import org.rigdesk.api.wire.TelemetryHistory;

/**
 * The Telemetry page: one GPU's history over a chosen window (raw up to an hour, minute
 * aggregates beyond), its compute processes and the raw nvidia-smi table. No nodes here.
 */
public class TelemetryViewModel {

    /** The windows the page offers, in seconds. */
    public static final List<Integer> WINDOWS = List.of(300, 900, 3600, 86_400);
    /** Charts get at most this many points: more would only cost frames. */
    static final int MAX_POINTS = 300;

    private final RigdeskApi client;
    private final Executor background;
    private final Executor ui;
    private final StringProperty gpu = new SimpleStringProperty();
    private final IntegerProperty window = new SimpleIntegerProperty(300);
    private final ObservableList<TelemetryHistory.Point> points = FXCollections.observableArrayList();
    private final ObservableList<ComputeProcess> processes = FXCollections.observableArrayList();
    private final StringProperty table = new SimpleStringProperty("");
    private final StringProperty resolution = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");

    public TelemetryViewModel(RigdeskApi client, Executor background, Executor ui) {
        this.client = client;
        this.background = background;
        this.ui = ui;
        gpu.addListener((obs, old, now) -> reload());
        window.addListener((obs, old, now) -> reload());
    }

    /** Fetches history and processes for the chosen GPU and window. */
    public void reload() {
        String bdf = gpu.get();
        int seconds = window.get();
        if (bdf == null) {
            return;
        }
        background.execute(() -> {
            try {
                TelemetryHistory history = client.telemetryHistory(bdf, seconds);
                List<ComputeProcess> mine = client.computeProcesses()
                        .stream().filter(p -> p.bdf().equals(bdf)).toList();
                ui.execute(() -> {
                    if (!bdf.equals(gpu.get()) || seconds != window.get()) {
                        return; // the user moved on while we fetched
                    }
                    points.setAll(downsample(history.points(), MAX_POINTS));
                    processes.setAll(mine);
                    resolution.set(history.points().isEmpty() ? "No samples for this GPU in this window."
                            : history.points().size() + ("raw".equals(history.resolution()) ? " samples"
                            : " one-minute aggregates") + (history.points().size() > MAX_POINTS
                            ? ", drawn as " + MAX_POINTS + " averages" : ""));
                    message.set("");
                });
            } catch (IOException e) {
                ui.execute(() -> message.set("Cannot load telemetry: " + e.getMessage()));
            }
        });
    }

    public void reloadTable() {
        background.execute(() -> {
            String text;
            try {
                text = client.nvidiaSmi();
            } catch (IOException e) {
                text = "nvidia-smi is not available: " + e.getMessage();
            }
            String shown = text;
            ui.execute(() -> table.set(shown));
        });
    }

    /** Averages neighbouring points so at most {@code max} remain; the shape is kept, the cost is not. */
    static List<TelemetryHistory.Point> downsample(List<TelemetryHistory.Point> all, int max) {
        if (all.size() <= max) {
            return all;
        }
        List<TelemetryHistory.Point> out = new ArrayList<>(max);
        double step = all.size() / (double) max;
        for (int i = 0; i < max; i++) {
            List<TelemetryHistory.Point> bucket = all.subList((int) (i * step), (int) Math.min(all.size(), (i + 1) * step));
            out.add(new TelemetryHistory.Point(bucket.get(0).at(), new TelemetryHistory.Values(
                    avg(bucket, 0), avg(bucket, 1), avg(bucket, 2), avg(bucket, 3)), null, null));
        }
        return out;
    }

    private static Double avg(List<TelemetryHistory.Point> bucket, int metric) {
        double sum = 0;
        int n = 0;
        for (TelemetryHistory.Point point : bucket) {
            Double value = value(point, metric);
            if (value != null) {
                sum += value;
                n++;
            }
        }
        return n == 0 ? null : sum / n;
    }

    /** Metric 0..3: utilisation, memory used, temperature, power (the average of an aggregate). */
    public static Double value(TelemetryHistory.Point point, int metric) {
        TelemetryHistory.Values v = point.avg();
        if (v == null) {
            return null;
        }
        return switch (metric) {
            case 0 -> v.utilizationGpu();
            case 1 -> v.memoryUsedMiB();
            case 2 -> v.temperatureC();
            default -> v.powerDrawW();
        };
    }

    /** The charts' names and units, metric 0..3. */
    static final String[] NAMES = {"Utilisation", "Memory used", "Temperature", "Power"};
    static final String[] UNITS = {"%", "MiB", "°C", "W"};

    /**
     * A chart's fixed top: 100 % for utilisation and °C (where cards throttle), the card's memory
     * and its power limit when the latest sample knows them; otherwise the data's highest value
     * rounded up, so a chart never rescales under the owner's eyes while the card is known.
     */
    public static double upperBound(int metric, GpuSample latest, List<TelemetryHistory.Point> points) {
        Double known = switch (metric) {
            case 0, 2 -> 100.0;
            case 1 -> latest == null ? null : latest.memoryTotalMiB();
            default -> latest == null ? null : latest.powerLimitW();
        };
        if (known != null && known > 0) {
            return known;
        }
        double max = points.stream().map(p -> value(p, metric)).filter(java.util.Objects::nonNull)
                .mapToDouble(Double::doubleValue).max().orElse(1);
        double step = Math.pow(10, Math.floor(Math.log10(Math.max(1, max))));
        return Math.ceil(max / step) * step;
    }

    /** A job's start or end on a chart's time axis: where, and what to call it ("#12 ▶", "#12 ■"). */
    public record Mark(long epochSecond, String label, boolean start) {
    }

    /**
     * The starts and ends, inside the window, of the jobs that had {@code bdf}: so a rise in load
     * can be told from the job that made it.
     */
    public static List<Mark> jobMarks(List<org.rigdesk.api.wire.Job> jobs, String bdf, java.time.Instant from,
                                      java.time.Instant to) {
        List<Mark> marks = new ArrayList<>();
        for (org.rigdesk.api.wire.Job job : jobs) {
            if (bdf == null || !job.gpus().contains(bdf) || job.is(org.rigdesk.api.wire.JobState.READY)) {
                continue; // an idle runner VM holds the card but does no work
            }
            if (job.startedAt() != null && !job.startedAt().isBefore(from) && !job.startedAt().isAfter(to)) {
                marks.add(new Mark(job.startedAt().getEpochSecond(), "#" + job.id() + " ▶", true));
            }
            if (job.finishedAt() != null && !job.finishedAt().isBefore(from) && !job.finishedAt().isAfter(to)) {
                marks.add(new Mark(job.finishedAt().getEpochSecond(), "#" + job.id() + " ■", false));
            }
        }
        marks.sort(java.util.Comparator.comparingLong(Mark::epochSecond));
        return marks;
    }

    /** A round step giving four or five ticks up to {@code top}: 25 for 100, 50 for 170, 2,500 for 12,288. */
    public static double tickUnit(double top) {
        double raw = top / 4;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double nice : new double[] {1, 2, 2.5, 5, 10}) {
            if (nice * magnitude >= raw) {
                return nice * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** A chart's title with its newest value: "Power · 121 W", or just the name without data. */
    public static String title(int metric, List<TelemetryHistory.Point> points) {
        for (int i = points.size() - 1; i >= 0; i--) {
            Double value = value(points.get(i), metric);
            if (value != null) {
                return NAMES[metric] + " · " + Math.round(value) + " " + UNITS[metric];
            }
        }
        return NAMES[metric];
    }

    /**
     * "Collecting since 21:21:55" while the history covers less than nine tenths of the window
     * (a daemon that just started), else empty: the charts' empty left side is explained.
     */
    public static String collecting(List<TelemetryHistory.Point> points, int windowSeconds, java.time.Instant now,
                                    java.time.ZoneId zone) {
        if (points.isEmpty()) {
            return "";
        }
        java.time.Instant first = points.get(0).at();
        if (first.isBefore(now.minusSeconds(windowSeconds * 9L / 10))) {
            return "";
        }
        return "Collecting since " + java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").withZone(zone).format(first);
    }

    /**
     * The card to open on: the busiest one the host can read (its latest sample from the host),
     * else the first NVIDIA or AMD card, else the first card.
     */
    public static String busiest(List<org.rigdesk.api.wire.Gpu> gpus, java.util.Map<String, GpuSample> latest) {
        return gpus.stream().filter(g -> latest.containsKey(g.bdf()) && GpuSample.HOST.equals(latest.get(g.bdf()).source()))
                .max(java.util.Comparator.comparingDouble(g -> {
                    Double load = latest.get(g.bdf()).utilizationGpu();
                    return load == null ? -1 : load;
                }))
                .or(() -> gpus.stream().filter(g -> List.of("10de", "1002").contains(g.vendorId())).findFirst())
                .or(() -> gpus.stream().findFirst())
                .map(org.rigdesk.api.wire.Gpu::bdf).orElse(null);
    }

    /** What is shown, as CSV: one row per point, empty cells where a value is absent. */
    public String csv() {
        StringBuilder out = new StringBuilder("time,gpu,utilization_pct,memory_used_mib,temperature_c,power_w\n");
        for (TelemetryHistory.Point point : points) {
            out.append(point.at()).append(',').append(gpu.get());
            for (int metric = 0; metric < 4; metric++) {
                Double value = value(point, metric);
                out.append(',').append(value == null ? "" : String.format(Locale.ROOT, "%.2f", value));
            }
            out.append('\n');
        }
        return out.toString();
    }

    public StringProperty gpuProperty() {
        return gpu;
    }

    public IntegerProperty windowProperty() {
        return window;
    }

    public ObservableList<TelemetryHistory.Point> points() {
        return points;
    }

    public ObservableList<ComputeProcess> processes() {
        return processes;
    }

    public StringProperty tableProperty() {
        return table;
    }

    public StringProperty resolutionProperty() {
        return resolution;
    }

    public StringProperty messageProperty() {
        return message;
    }
}
