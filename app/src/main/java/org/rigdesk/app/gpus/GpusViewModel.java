package org.rigdesk.app.gpus;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.GpuSample;
import org.rigdesk.api.wire.TelemetryStatus;
import org.rigdesk.api.wire.Json;
import org.rigdesk.app.ui.Dialogs;
import org.rigdesk.app.ui.EventDispatcher;

/** The GPUs page: a card per GPU, loaded on connect and kept current by {@code gpu} events. */
public class GpusViewModel {

    private final RigdeskApi client;
    private final Dialogs dialogs;
    private final Executor background;
    private final Executor ui;
    private final ObservableList<GpuCardViewModel> cards = FXCollections.observableArrayList();
    private final SimpleStringProperty status = new SimpleStringProperty("Loading GPUs…");
    /** Job id → job, as the jobs list last had them. */
    private Map<String, Job> jobsById = new java.util.HashMap<>();
    private List<Job> jobs = List.of();
    private org.rigdesk.api.wire.RunnerStatus runner;
    private final javafx.beans.property.ObjectProperty<org.rigdesk.app.status.Overview> overview =
            new javafx.beans.property.SimpleObjectProperty<>();
    private final java.time.Clock clock;

    public GpusViewModel(RigdeskApi client, Executor background, Executor ui, Dialogs dialogs) {
        this(client, background, ui, dialogs, java.time.Clock.systemUTC());
    }

    public GpusViewModel(RigdeskApi client, Executor background, Executor ui, Dialogs dialogs, java.time.Clock clock) {
        this.clock = clock;
        this.client = client;
        this.dialogs = dialogs;
        this.background = background;
        this.ui = ui;
    }

    /** Loads the inventory (on connect and reconnect). */
    public void reload() {
        background.execute(() -> {
            try {
                List<Gpu> gpus = client.gpus();
                TelemetryStatus telemetry = client.telemetry();
                org.rigdesk.app.StartTrace.mark("gpus-answered");
                ui.execute(() -> {
                    apply(gpus);
                    for (GpuSample sample : telemetry.samples()) {
                        cards.stream().filter(c -> c.bdf().equals(sample.bdf())).findFirst()
                                .ifPresent(c -> c.accept(sample));
                    }
                });
                // The last minute, so a sparkline is drawn at once rather than filling from empty;
                // fetched once the cards show (a call per GPU: on a rig of eight, a quarter second).
                java.util.Map<String, List<org.rigdesk.api.wire.TelemetryHistory.Point>> recent = new java.util.HashMap<>();
                for (GpuSample sample : telemetry.samples()) {
                    if (GpuSample.HOST.equals(sample.source())) {
                        recent.put(sample.bdf(), client.telemetryHistory(sample.bdf(), 60).points());
                    }
                }
                ui.execute(() -> {
                    for (GpuCardViewModel card : cards) {
                        card.prefill(recent.getOrDefault(card.bdf(), List.of()));
                    }
                });
            } catch (IOException e) {
                ui.execute(() -> status.set("Cannot list GPUs: " + e.getMessage()));
            }
        });
    }

    /** A batch of {@code sample} events, on the UI thread. */
    public void onSamples(List<EventDispatcher.Received> events) {
        for (EventDispatcher.Received event : events) {
            try {
                GpuSample sample = Json.mapper().readValue(event.data(), GpuSample.class);
                cards.stream().filter(c -> c.bdf().equals(sample.bdf())).findFirst().ifPresent(c -> c.accept(sample));
            } catch (IOException e) {
                // skip a malformed sample
            }
        }
    }

    /** A batch of {@code gpu} events, on the UI thread. */
    public void onEvents(List<EventDispatcher.Received> events) {
        for (EventDispatcher.Received event : events) {
            try {
                Gpu gpu = Json.mapper().readValue(event.data(), Gpu.class);
                cards.stream().filter(c -> c.bdf().equals(gpu.bdf())).findFirst()
                        .ifPresentOrElse(c -> c.update(gpu), this::reload);
            } catch (IOException e) {
                // A malformed event: the next reload corrects the page.
            }
        }
        showHolders();
    }

    private void apply(List<Gpu> gpus) {
        Map<String, GpuCardViewModel> existing = new LinkedHashMap<>();
        cards.forEach(card -> existing.put(card.bdf(), card));
        List<GpuCardViewModel> next = gpus.stream().map(gpu -> {
            GpuCardViewModel card = existing.get(gpu.bdf());
            if (card == null) {
                return new GpuCardViewModel(gpu, client, background, ui, dialogs);
            }
            card.update(gpu);
            return card;
        }).toList();
        if (!next.equals(cards)) {
            cards.setAll(next);
        }
        showHolders();
        status.set(gpus.isEmpty() ? "No GPUs found: rigdeskd sees no display-class PCI device." : "");
    }

    /** The jobs the app knows changed (UI thread): each card learns the job holding it. */
    public void onJobs(List<Job> latest) {
        Map<String, Job> byId = new java.util.HashMap<>();
        latest.forEach(job -> byId.put(Long.toString(job.id()), job));
        jobsById = byId;
        jobs = List.copyOf(latest);
        showHolders();
    }

    /** The jobs the app knows, as the jobs list last had them. */
    public List<Job> jobs() {
        return jobs;
    }

    /** The runner's status changed (UI thread): the overview's runner and queue follow. */
    public void onRunner(org.rigdesk.api.wire.RunnerStatus latest) {
        runner = latest;
        refreshOverview();
    }

    /** Recomputes the overview (also on a timer, so its ages move). */
    public void refreshOverview() {
        overview.set(org.rigdesk.app.status.Overview.of(cards.stream().map(c -> c.gpuProperty().get()).toList(), jobs,
                runner, clock.instant()));
    }

    public javafx.beans.property.ReadOnlyObjectProperty<org.rigdesk.app.status.Overview> overviewProperty() {
        return overview;
    }

    private void showHolders() {
        Map<String, Long> names = new java.util.HashMap<>();
        cards.forEach(card -> names.merge(card.gpuProperty().get().name(), 1L, Long::sum));
        Map<String, Integer> seen = new java.util.HashMap<>();
        cards.forEach(card -> {
            Gpu gpu = card.gpuProperty().get();
            card.holder(gpu.usedBy() == null ? null : jobsById.get(gpu.usedBy()));
            long alike = names.get(gpu.name());
            // Cards come in bus order: "GPU 1 of 2" is the lower address, as nvidia-smi counts them.
            card.twin(alike > 1 ? "GPU " + seen.merge(gpu.name(), 1, Integer::sum) + " of " + alike : "");
        });
        refreshOverview();
    }

    public ObservableList<GpuCardViewModel> cards() {
        return cards;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status;
    }
}
