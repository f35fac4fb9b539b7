package org.rigdesk.app.gpus;

import org.rigdesk.app.format.GpuNames;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.client.DaemonException;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.Job;
import org.rigdesk.app.status.Look;
import org.rigdesk.app.status.Vocabulary;
import org.rigdesk.api.wire.GpuLending;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.LendingRequest;
import org.rigdesk.api.wire.LendingWindow;
import org.rigdesk.app.ui.Dialogs;
import org.rigdesk.api.wire.GpuSample;

/** One GPU card: its latest state, a mode change in flight, and the daemon's last refusal. */
public class GpuCardViewModel {

    private final RigdeskApi client;
    private final Dialogs dialogs;
    private final Executor background;
    private final Executor ui;
    private final ObjectProperty<Gpu> gpu = new SimpleObjectProperty<>();
    private final BooleanProperty working = new SimpleBooleanProperty();
    private final StringProperty problem = new SimpleStringProperty("");
    private final StringProperty remedy = new SimpleStringProperty("");
    private final ObjectProperty<GpuSample> sample = new SimpleObjectProperty<>();
    /** The job holding the card ({@code usedBy}), when the app knows it. */
    private final ObjectProperty<Job> holder = new SimpleObjectProperty<>();
    /** "GPU 1 of 2" when another card has the same name, else empty. */
    private final StringProperty twin = new SimpleStringProperty("");
    /** Utilisation over the last minute, oldest first, for the sparkline. */
    private final ObservableList<Double> recentLoad = FXCollections.observableArrayList();
    private final java.util.ArrayDeque<Long> recentTimes = new java.util.ArrayDeque<>();
    static final long SPARKLINE_MILLIS = 60_000;

    public GpuCardViewModel(Gpu initial, RigdeskApi client, Executor background, Executor ui, Dialogs dialogs) {
        this.client = client;
        this.dialogs = dialogs;
        this.background = background;
        this.ui = ui;
        gpu.set(initial);
    }

    public String bdf() {
        return gpu.get().bdf();
    }

    void update(Gpu latest) {
        gpu.set(latest);
    }

    /** Told by the jobs list: the job that holds this card, or null. */
    void holder(Job job) {
        holder.set(job);
    }

    public ReadOnlyObjectProperty<Job> holderProperty() {
        return holder;
    }

    void twin(String words) {
        twin.set(words);
    }

    public ReadOnlyStringProperty twinProperty() {
        return twin;
    }

    /** The card's headline in the one vocabulary (icon, words, tone, the technical term). */
    public Look look() {
        return Vocabulary.gpu(gpu.get(), holder.get());
    }

    /** A telemetry sample for this GPU (UI thread): shown, and added to the one-minute sparkline. */
    void accept(GpuSample latest) {
        sample.set(latest);
        if (latest.at() == null || latest.utilizationGpu() == null) {
            return;
        }
        long at = latest.at().toEpochMilli();
        recentTimes.addLast(at);
        recentLoad.add(latest.utilizationGpu());
        while (!recentTimes.isEmpty() && recentTimes.peekFirst() < at - SPARKLINE_MILLIS) {
            recentTimes.removeFirst();
            recentLoad.remove(0);
        }
    }

    /** Replaces the sparkline with the last minute of history (on connect). */
    void prefill(List<org.rigdesk.api.wire.TelemetryHistory.Point> points) {
        // The cards show before their history is fetched: samples taken meanwhile stay, after it.
        List<Long> times = new java.util.ArrayList<>();
        List<Double> loads = new java.util.ArrayList<>();
        for (org.rigdesk.api.wire.TelemetryHistory.Point point : points) {
            if (point.avg() != null && point.avg().utilizationGpu() != null) {
                times.add(point.at().toEpochMilli());
                loads.add(point.avg().utilizationGpu());
            }
        }
        long last = times.isEmpty() ? Long.MIN_VALUE : times.get(times.size() - 1);
        java.util.Iterator<Double> taken = recentLoad.iterator();
        for (long at : recentTimes) {
            double load = taken.next();
            if (at > last) {
                times.add(at);
                loads.add(load);
            }
        }
        recentTimes.clear();
        recentTimes.addAll(times);
        recentLoad.setAll(loads);
    }

    /**
     * One live reading: its name, how full it is (0..1; null for a reading with no scale, like a
     * temperature), its value in words, and whether it runs high (the bar turns amber).
     */
    public record Gauge(String name, Double fraction, String text, boolean high) {
    }

    /** Load, memory and power as bars, temperature and fan as values; empty without a sample. */
    public static List<Gauge> gauges(Gpu gpu, GpuSample sample) {
        if (readingsNote(gpu, sample) != null) {
            return List.of();
        }
        List<Gauge> gauges = new java.util.ArrayList<>();
        if (sample.utilizationGpu() != null) {
            gauges.add(new Gauge("Load", sample.utilizationGpu() / 100, whole(sample.utilizationGpu()) + " %",
                    sample.utilizationGpu() >= 90));
        }
        if (sample.memoryUsedMiB() != null) {
            Double total = sample.memoryTotalMiB();
            gauges.add(new Gauge("Memory", total == null || total <= 0 ? null : sample.memoryUsedMiB() / total,
                    gib(sample.memoryUsedMiB()) + (total == null ? "" : " of " + gib(total)) + " GiB",
                    total != null && sample.memoryUsedMiB() / total >= 0.9));
        }
        if (sample.powerDrawW() != null) {
            Double limit = sample.powerLimitW();
            gauges.add(new Gauge("Power", limit == null || limit <= 0 ? null : sample.powerDrawW() / limit,
                    whole(sample.powerDrawW()) + (limit == null ? "" : " of " + whole(limit)) + " W",
                    limit != null && sample.powerDrawW() / limit >= 0.95));
        }
        if (sample.temperatureC() != null) {
            gauges.add(new Gauge("Temperature", null, whole(sample.temperatureC()) + " °C", sample.temperatureC() >= 85));
        }
        if (sample.fanSpeedPct() != null) {
            gauges.add(new Gauge("Fan", null, whole(sample.fanSpeedPct()) + " %", false));
        }
        return gauges;
    }

    /**
     * Why a card shows no readings, in one line, or null when it has them: a quarantined card
     * waits for a check; a card in a VM is read inside the VM; one the host cannot read (no
     * sampler for it) says so once, not five times.
     */
    public static String readingsNote(Gpu gpu, GpuSample sample) {
        boolean inVm = gpu.is(GpuMode.VFIO) || gpu.usedBy() != null;
        boolean hidden = sample == null || GpuSample.NONE.equals(sample.source());
        if (!hidden) {
            return null;
        }
        if (gpu.health() != null && !gpu.health().ok()) {
            // No job has a quarantined card: what it needs is the check, not a job's readings.
            return "Quarantined: no job gets it until rigdesk gpu check " + gpu.bdf() + " passes.";
        }
        if (inVm) {
            return "Readings are inside the job's VM while CI has it.";
        }
        return sample == null ? "Waiting for the first reading…" : "No live readings: the host cannot read this GPU.";
    }

    private static String gib(double mib) {
        return String.format(java.util.Locale.ROOT, "%.1f", mib / 1024);
    }

    private static String whole(double value) {
        return Long.toString(Math.round(value));
    }

    public ReadOnlyObjectProperty<GpuSample> sampleProperty() {
        return sample;
    }

    public ObservableList<Double> recentLoad() {
        return recentLoad;
    }

    /** What a move takes along: the GPU and every non-bridge function of its IOMMU group. */
    public static List<String> functionsThatMove(Gpu gpu) {
        List<String> functions = new java.util.ArrayList<>();
        functions.add(gpu.bdf() + "  " + gpu.name() + " (gpu" + (gpu.driver() == null ? "" : ", " + gpu.driver()) + ")");
        for (Gpu.GroupDevice peer : gpu.groupDevices()) {
            if (!"bridge".equals(peer.role())) {
                functions.add(peer.bdf() + "  " + peer.name() + " (" + peer.role()
                        + (peer.driver() == null ? "" : ", " + peer.driver()) + ")");
            }
        }
        return functions;
    }

    /**
     * The switch was flipped: says which functions move (a card's name alone does not tell two
     * alike apart) and, once the person agrees, asks the daemon. False when they did not.
     */
    public boolean toggle(GpuMode target) {
        Gpu now = gpu.get();
        boolean toVfio = target == GpuMode.VFIO;
        String label = GpuNames.label(now);
        boolean go = dialogs.confirm(new Dialogs.Confirmation("confirm-mode",
                toVfio ? "Lend " + label + " to CI?" : "Take " + label + " back to your desk?",
                (toVfio ? "These functions leave their host drivers and are bound to vfio-pci, ready for job VMs:\n\n"
                        : "These functions leave vfio-pci and go back to their host drivers:\n\n")
                        + String.join("\n", functionsThatMove(now)),
                toVfio ? "Lend to CI" : "Use on my desk", toVfio ? "Keep on my desk" : "Keep lent"));
        if (go) {
            requestMode(target);
        }
        return go;
    }

    /** Asks the daemon for {@code mode}; the card shows progress, then the new state or the refusal. */
    public void requestMode(GpuMode mode) {
        String bdf = bdf();
        request(() -> client.setGpuMode(bdf, mode));
    }

    /** "Lend to CI", "On demand" or "Use on my desk" as a policy: ci, on-demand or desk. */
    public void lend(String policy) {
        String bdf = bdf();
        GpuLending now = gpu.get().lending();
        Integer idle = now == null ? null : now.idleSeconds();
        request(() -> client.setGpuLending(bdf, new LendingRequest(policy, null, idle)));
    }

    /** "On a schedule…": asks for the windows, then lends on them; false when the person cancelled. */
    public boolean lendOnSchedule() {
        Gpu now = gpu.get();
        GpuLending lending = now.lending();
        List<String> current = lending == null || lending.schedule().isEmpty()
                ? List.of("mon-fri 19:00-08:00 ci", "sat,sun 00:00-00:00 on-demand")
                : lending.schedule().stream().map(LendingWindow::text).toList();
        java.util.Optional<Dialogs.ScheduleForm> form = dialogs.askForSchedule(GpuNames.label(now), new Dialogs.ScheduleForm(
                current, lending == null ? GpuLending.DEFAULT_IDLE_SECONDS : lending.idleSeconds()));
        if (form.isEmpty()) {
            return false;
        }
        List<LendingWindow> windows = new java.util.ArrayList<>();
        try {
            form.get().windows().forEach(text -> windows.add(LendingWindow.parse(text)));
        } catch (IllegalArgumentException e) {
            remedy.set("Write each window as DAYS FROM-TO and ci or on-demand, e.g. mon-fri 19:00-08:00 ci.");
            problem.set(e.getMessage());
            return true;
        }
        String bdf = bdf();
        request(() -> client.setGpuLending(bdf, new LendingRequest(GpuLending.SCHEDULE, windows,
                form.get().idleSeconds())));
        return true;
    }

    /** "Use on my desk": the card comes back; a job on it finishes first. */
    public void reclaim() {
        String bdf = bdf();
        request(() -> client.reclaimGpu(bdf, false));
    }

    /** The card waits for a job: cancel it and take the card now, once the person agrees. */
    public boolean cancelJobAndReclaim() {
        Gpu now = gpu.get();
        String job = now.usedBy();
        boolean go = dialogs.confirm(new Dialogs.Confirmation("confirm-cancel-for-desk",
                "Cancel job #" + job + " and take " + GpuNames.label(now) + " back now?",
                "The job stops as if cancelled on GitHub or with rigdesk cancel; its VM is thrown away.",
                "Cancel job and take it back", "Let the job finish"));
        if (go) {
            String bdf = bdf();
            request(() -> client.reclaimGpu(bdf, true));
        }
        return go;
    }

    /** When the schedule next changes the card's lending, in words, or null. */
    public static String nextChange(Gpu gpu, java.time.ZoneId zone) {
        GpuLending lending = gpu.lending();
        if (lending == null || lending.nextChange() == null) {
            return null;
        }
        String what = switch (lending.nextPolicy()) {
            case GpuLending.CI -> "Lent to CI";
            case GpuLending.ON_DEMAND -> "On demand";
            default -> "On your desk";
        };
        return what + " from " + java.time.format.DateTimeFormatter.ofPattern("EEE HH:mm", java.util.Locale.ENGLISH)
                .format(lending.nextChange().atZone(zone));
    }

    private interface Call {
        Gpu run() throws IOException;
    }

    /** One change asked of the daemon: the card shows progress, then the new state or the refusal. */
    private void request(Call call) {
        working.set(true);
        problem.set("");
        remedy.set("");
        background.execute(() -> {
            try {
                Gpu now = call.run();
                ui.execute(() -> {
                    gpu.set(now);
                    working.set(false);
                });
            } catch (DaemonException e) {
                ui.execute(() -> {
                    remedy.set(e.problem().remedy() == null ? "" : e.problem().remedy());
                    problem.set(e.getMessage());
                    working.set(false);
                });
            } catch (IOException e) {
                ui.execute(() -> {
                    problem.set("Could not reach the daemon: " + e.getMessage());
                    working.set(false);
                });
            }
        });
    }

    public void dismissProblem() {
        problem.set("");
        remedy.set("");
    }

    public ReadOnlyObjectProperty<Gpu> gpuProperty() {
        return gpu;
    }

    public ReadOnlyBooleanProperty workingProperty() {
        return working;
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem;
    }

    public ReadOnlyStringProperty remedyProperty() {
        return remedy;
    }
}
