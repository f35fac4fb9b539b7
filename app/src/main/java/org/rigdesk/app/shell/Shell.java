package org.rigdesk.app.shell;

import org.rigdesk.app.ui.EventDispatcher;
import org.rigdesk.app.connection.ConnectionViewModel;
import org.rigdesk.app.connection.ConnectionState;
import org.rigdesk.app.ui.Page;
import org.rigdesk.app.ui.Dialogs;
import org.rigdesk.app.ui.FxDialogs;
import java.nio.file.Path;
import java.util.List;
import org.rigdesk.api.wire.EventType;
import org.rigdesk.app.gpus.GpuCardViewModel;
import org.rigdesk.app.tray.DesktopAlerts;
import org.rigdesk.app.tray.Notifier;
import org.rigdesk.app.tray.Tray;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import org.rigdesk.app.contexts.ContextStore;
import org.rigdesk.app.contexts.RigContext;
import org.rigdesk.app.fleet.FleetPage;
import org.rigdesk.app.rigs.FleetViewModel;
import org.rigdesk.app.rigs.RigSwitch;
import org.rigdesk.app.rigs.RigView;
import org.rigdesk.app.tray.TrayModel;
import javafx.scene.Parent;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.wire.Job;
import org.rigdesk.app.gpus.GpusPage;
import org.rigdesk.app.gpus.GpusViewModel;
import org.rigdesk.app.host.HostPage;
import org.rigdesk.app.runner.RunnerPage;
import org.rigdesk.app.runner.RunnerViewModel;
import org.rigdesk.app.settings.AppPreferences;
import org.rigdesk.app.settings.SettingsPage;
import org.rigdesk.app.settings.SettingsViewModel;
import org.rigdesk.app.jobs.JobsPage;
import org.rigdesk.app.jobs.JobsViewModel;
import org.rigdesk.app.telemetry.TelemetryPage;
import org.rigdesk.app.telemetry.TelemetryViewModel;

/** The window's composition root: one client, one background executor, one event subscription. */
public class Shell implements AutoCloseable {

    private final RigdeskApi client;
    private final RigSwitch rigSwitch;
    private final FleetViewModel fleet;
    private final ScheduledExecutorService background;
    private final EventDispatcher events;
    private final ConnectionViewModel connection;
    private final MainWindow window;
    private final GpusViewModel gpus;
    private final JobsViewModel jobs;
    private final RunnerViewModel runner;
    private final SettingsViewModel settings;
    private final AppPreferences preferences;
    private TrayController tray;

    public Shell(Path socket) {
        this(socket, AppPreferences.user());
    }

    public Shell(Path socket, AppPreferences preferences) {
        this(socket, preferences, System.getenv());
    }

    /** {@code env}: where the contexts and ssh are ({@code XDG_CONFIG_HOME}, {@code RIGDESK_SSH}); tests give their own. */
    public Shell(Path socket, AppPreferences preferences, java.util.Map<String, String> env) {
        this.rigSwitch = new RigSwitch(RigContext.LOCAL,
                new DaemonClient(socket));
        this.client = rigSwitch.api();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, runnable -> {
            Thread thread = new Thread(runnable, "rigdesk-background");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.background = executor;
        Executor ui = Platform::runLater;
        this.events = new EventDispatcher(ui);
        this.connection = new ConnectionViewModel(client, background, ui, events::accept);
        this.fleet = new FleetViewModel(ContextStore.of(env), env, socket,
                ui, java.time.Duration.ofSeconds(3));
        connection.describeWhereWith(() -> RigContext.LOCAL.equals(rigSwitch.rig()) ? socket.toString()
                : "rig " + rigSwitch.rig() + " (" + fleet.endpoint(rigSwitch.rig()) + ")");
        // Dialogs belong to the window, which exists only once the view-models do.
        Dialogs dialogs = new FxDialogs(this::ownerWindow);
        this.gpus = new GpusViewModel(client, background, ui, dialogs);
        events.on(EventType.GPU, gpus::onEvents);
        events.on(EventType.SAMPLE, gpus::onSamples);
        this.jobs = new JobsViewModel(client, background, ui, dialogs);
        events.on(EventType.JOB, jobs::onEvents);
        events.on(EventType.JOB_REMOVED, jobs::onRemoved);
        this.runner = new RunnerViewModel(client, background, ui, dialogs);
        events.on(EventType.RUNNER, batch -> runner.reload());
        this.preferences = preferences;
        this.settings = new SettingsViewModel(client, background, ui, preferences, RigdeskApp::applyTheme);
        connection.stateProperty().addListener((obs, old, now) -> {
            if (now == ConnectionState.CONNECTED) {
                gpus.reload();
                jobs.reload();
                runner.reload();
            }
        });
        List<Page> pages = List.of(
                new GpusPage(gpus),
                new JobsPage(jobs),
                new RunnerPage(runner),
                new org.rigdesk.app.caches.CachesPage(new org.rigdesk.app.caches.CachesViewModel(client, background, ui,
                        dialogs)),
                new TelemetryPage(new TelemetryViewModel(client, background, ui), gpus),
                new FleetPage(fleet),
                new HostPage(connection),
                new SettingsPage(settings, fleet));
        this.window = new MainWindow(pages, connection);
        window.addRigSwitcher(fleet, this::switchTo);
        window.addToSidebar(new org.rigdesk.app.gpus.GpuStrip(gpus, () -> window.show("gpus")));
        Runnable activity = () -> window.statusBar().activity(jobs.all().stream().filter(Job::active).count(),
                runner.statusProperty().get());
        jobs.all().addListener((javafx.collections.ListChangeListener<Job>) change -> activity.run());
        jobs.all().addListener((javafx.collections.ListChangeListener<Job>) change -> gpus.onJobs(jobs.all()));
        runner.statusProperty().addListener((obs, old, now) -> activity.run());
        runner.statusProperty().addListener((obs, old, now) -> gpus.onRunner(now));
        runner.statusProperty().addListener((obs, old, now) -> {
            // "Open on GitHub" goes to the registration's server (GitHub or GitHub Enterprise).
            if (now != null && now.url() != null) {
                java.net.URI url = java.net.URI.create(now.url());
                jobs.webBaseProperty().set(url.getScheme() + "://" + url.getAuthority());
            }
        });
        activity.run();
    }

    /** The pages look at another rig: the connection starts over on it, and they reload when it answers. */
    public void switchTo(String rig) {
        if (rig == null || rig.equals(rigSwitch.rig())) {
            return;
        }
        rigSwitch.use(rig, RigContext.LOCAL.equals(rig) ? null : fleet.api(rig));
        jobs.log().release(); // the followed log is the old rig's job
        connection.reconnect();
    }

    public FleetViewModel fleet() {
        return fleet;
    }

    private javafx.stage.Window ownerWindow() {
        return window == null || window.getScene() == null ? null : window.getScene().getWindow();
    }

    /**
     * Puts the app in the tray and lets it notify: the tray follows jobs, the runner and the
     * connection; GPU refusals shown in a card are notified too.
     */
    public TrayController attach(Tray trayIcon, Notifier notifier) {
        settings.trayProperty().set(trayIcon.kind());
        settings.notifierProperty().set(notifier.kind());
        tray = new TrayController(trayIcon, notifier, preferences, new DesktopAlerts(java.time.Clock.systemUTC()),
                jobs.all(), runner.statusProperty());
        tray.listen(events);
        connection.stateProperty().addListener((obs, old, now) -> tray.connection(now == ConnectionState.CONNECTED));
        tray.gpus(() -> gpus.cards().stream().map(card -> card.gpuProperty().get()).toList());
        tray.fleet(this::trayFleet);
        java.util.Map<String, RigView.Reach> reached = new java.util.HashMap<>();
        fleet.rigs().addListener((javafx.collections.ListChangeListener<RigView>) change -> {
            for (RigView rig : fleet.rigs()) {
                RigView.Reach before = reached.put(rig.name(), rig.reach());
                // The window's own rig is told by its connection; a rig first seen is not news.
                if (before != null && before != rig.reach() && rig.reach() != RigView.Reach.CONNECTING
                        && !rig.name().equals(rigSwitch.rig())) {
                    tray.rigReach(rig.name(), rig.reach() == RigView.Reach.REACHABLE, rig.reason());
                }
            }
            tray.gpusChanged();
        });
        gpus.cards().addListener((javafx.collections.ListChangeListener<GpuCardViewModel>) change -> {
            while (change.next()) {
                change.getAddedSubList().forEach(this::watchCard);
            }
            tray.gpusChanged();
        });
        gpus.cards().forEach(this::watchCard);
        return tray;
    }

    /** The rigs other than the window's, for the tray's sums. */
    private TrayModel.Fleet trayFleet() {
        String shown = rigSwitch.rig();
        return new TrayModel.Fleet(shown, fleet.rigs().stream()
                .filter(rig -> !rig.name().equals(shown))
                .map(rig -> new TrayModel.Rig(rig.name(), rig.running().size(),
                        rig.reach() == RigView.Reach.UNREACHABLE ? "unreachable"
                                : rig.needsALook() ? "a GPU is quarantined" : null))
                .toList());
    }

    /** The tray's GPU entries follow the card; what the card is refused is notified. */
    private void watchCard(GpuCardViewModel card) {
        card.gpuProperty().addListener((obs, old, now) -> {
            if (tray != null) {
                tray.gpusChanged();
            }
        });
        card.problemProperty().addListener((obs, old, now) -> {
            if (tray != null && now != null && !now.isBlank()) {
                tray.refused(card.bdf(), now);
            }
        });
    }

    public SettingsViewModel settings() {
        return settings;
    }

    public RunnerViewModel runner() {
        return runner;
    }

    public GpusViewModel gpus() {
        return gpus;
    }

    public JobsViewModel jobs() {
        return jobs;
    }

    public void start() {
        events.start(background, 100);
        connection.start();
        fleet.start();
    }

    public Parent root() {
        return window;
    }

    public MainWindow window() {
        return window;
    }

    public ConnectionViewModel connection() {
        return connection;
    }

    /**
     * The window closed to the tray: what only the window shows goes (the followed log, up to
     * 200,000 lines), and a full collection a moment later lets the serial collector give the heap
     * back (it shrinks only then). The tray's view-models keep running.
     */
    public void windowClosed() {
        jobs.log().release();
        Thread collect = new Thread(() -> {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                return;
            }
            System.gc();
        }, "rigdesk-release");
        collect.setDaemon(true);
        collect.start();
    }

    /** The window shows again: the selected job's log is read again. */
    public void windowShown() {
        Job selected = jobs.selectedProperty().get();
        if (selected != null && jobs.log().lines().isEmpty()) {
            jobs.log().follow(selected.id());
        }
    }

    @Override
    public void close() {
        connection.stop();
        fleet.close();
        background.shutdown();
        try {
            background.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
