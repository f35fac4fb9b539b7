package org.rigdesk.app.shell;

import org.rigdesk.app.ui.EventDispatcher;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.rigdesk.api.wire.EventType;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuSample;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.Json;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.app.settings.AppPreferences;
import org.rigdesk.app.tray.DesktopAlerts;
import org.rigdesk.app.tray.Notifier;
import org.rigdesk.app.tray.Tray;
import org.rigdesk.app.tray.TrayModel;

/**
 * Keeps the tray in step with the app and turns changes into notifications: it listens to the
 * same events and view-models the window uses, on the UI thread. "Attention" stays on the tray
 * until the window is opened.
 */
public final class TrayController {

    private final Tray tray;
    private final Notifier notifier;
    private final AppPreferences preferences;
    private final DesktopAlerts alerts;
    private final ObservableList<Job> jobs;
    private final ReadOnlyObjectProperty<RunnerStatus> runner;
    /** The GPUs as the window last had them (each card's state), for the menu's lend and reclaim entries. */
    private java.util.function.Supplier<List<Gpu>> gpus = List::of;
    /** The other rigs as the fleet last saw them; their name on every notification once there are several. */
    private java.util.function.Supplier<TrayModel.Fleet> fleet = () -> TrayModel.Fleet.ALONE;
    private boolean connected;
    private String attention;

    public TrayController(Tray tray, Notifier notifier, AppPreferences preferences, DesktopAlerts alerts,
                          ObservableList<Job> jobs, ReadOnlyObjectProperty<RunnerStatus> runner) {
        this.tray = tray;
        this.notifier = notifier;
        this.preferences = preferences;
        this.alerts = alerts;
        this.jobs = jobs;
        this.runner = runner;
        jobs.addListener((ListChangeListener<Job>) change -> refresh());
        runner.addListener((obs, old, now) -> {
            alert(alerts.runner(now));
            refresh();
        });
        refresh();
    }

    /** The GPUs to offer in the menu; {@link #gpusChanged} when one of them changes. */
    public void gpus(java.util.function.Supplier<List<Gpu>> now) {
        this.gpus = now;
        refresh();
    }

    public void gpusChanged() {
        refresh();
    }

    /** The fleet to sum over; {@link #gpusChanged} (or any change) redraws. */
    public void fleet(java.util.function.Supplier<TrayModel.Fleet> now) {
        this.fleet = now;
        refresh();
    }

    /** Another rig dropped off or came back: said, with its name and ssh's reason. */
    public void rigReach(String rig, boolean reachable, String reason) {
        alert(java.util.Optional.of(reachable
                ? new DesktopAlerts.Alert(DesktopAlerts.DAEMON, "Rig " + rig + " is back", "Its daemon answers again.",
                        false)
                : new DesktopAlerts.Alert(DesktopAlerts.DAEMON, "Rig " + rig + " is unreachable",
                        reason == null ? "" : reason, true)), false);
    }

    /** Subscribes to the event types it needs. */
    public void listen(EventDispatcher events) {
        events.on(EventType.JOB, batch -> each(batch, Job.class, job -> alert(alerts.job(job))));
        events.on(EventType.GPU, batch -> each(batch, Gpu.class, gpu -> alert(alerts.gpu(gpu))));
        events.on(EventType.SAMPLE, batch -> each(batch, GpuSample.class,
                sample -> alert(alerts.sample(sample, preferences.temperatureThreshold()))));
    }

    public void connection(boolean now) {
        connected = now;
        alert(alerts.connection(now));
        refresh();
    }

    public void refused(String bdf, String detail) {
        alert(alerts.refused(bdf, detail));
    }

    /** The window was opened: what needed a look has been seen. */
    public void seen() {
        attention = null;
        refresh();
    }

    private <T> void each(List<EventDispatcher.Received> batch, Class<T> type, Consumer<T> action) {
        for (EventDispatcher.Received event : batch) {
            try {
                action.accept(Json.mapper().readValue(event.data(), type));
            } catch (IOException e) {
                // a malformed event changes nothing
            }
        }
    }

    private void alert(Optional<DesktopAlerts.Alert> alert) {
        alert(alert, true);
    }

    /** {@code ofTheWindowsRig}: the alert is about the rig the window shows, named once there are several. */
    private void alert(Optional<DesktopAlerts.Alert> alert, boolean ofTheWindowsRig) {
        TrayModel.Fleet now = fleet.get();
        alert.map(a -> !ofTheWindowsRig || now.others().isEmpty() ? a
                : new DesktopAlerts.Alert(a.category(), now.rig() + " · " + a.summary(), a.body(), a.critical()))
                .ifPresent(a -> {
            if (a.critical()) {
                attention = a.summary() + ": " + a.body().lines().findFirst().orElse("");
                refresh();
            }
            if (preferences.notify(a.category())) {
                notifier.send(a.summary(), a.body(), a.critical());
            }
        });
    }

    private void refresh() {
        tray.show(TrayModel.of(connected, List.copyOf(jobs), runner.get(), attention, gpus.get(), fleet.get()));
    }
}
