package org.rigdesk.app.rigs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.wire.GpuSample;
import org.rigdesk.api.wire.Info;
import org.rigdesk.app.contexts.ContextStore;
import org.rigdesk.app.contexts.RigContext;
import org.rigdesk.app.contexts.RigLink;
import org.rigdesk.app.contexts.RigUnreachableException;

/**
 * Every rig at a glance: one watch per context, each on a thread of its own that looks at its rig
 * every few seconds through its {@link RigLink} (a remote rig's ssh tunnel kept open, reopened
 * after a failure), so a slow or unreachable rig delays only its own row. Rigs are added, tested
 * and removed here too (the contexts the CLI uses). Rows change through {@code ui}.
 */
public class FleetViewModel implements AutoCloseable {

    private static final Duration ALONE = Duration.ofSeconds(15);

    private final ContextStore store;
    private final Map<String, String> env;
    private final Path localSocket;
    private final Executor ui;
    private final Duration every;
    private final ObservableList<RigView> rigs = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final Map<String, Watch> watches = new LinkedHashMap<>();

    public FleetViewModel(ContextStore store, Map<String, String> env, Path localSocket, Executor ui, Duration every) {
        this.store = store;
        this.env = Map.copyOf(env);
        this.localSocket = localSocket;
        this.ui = ui;
        this.every = every;
    }

    /** Starts a watch on every context there is. */
    public synchronized void start() {
        List<RigContext> all;
        try {
            all = store.list();
        } catch (IOException e) {
            all = List.of(RigContext.local());
            problem.set(e.getMessage());
        }
        all.forEach(this::watch);
    }

    public ObservableList<RigView> rigs() {
        return rigs;
    }

    /** What the last add or remove was refused for (empty: nothing). */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** The rig's API (its link is shared with its watch); the local one when the name is unknown. */
    public synchronized RigdeskApi api(String name) {
        Watch watch = watches.get(name);
        return (watch != null ? watch : watches.get(RigContext.LOCAL)).link.api();
    }

    /** The rig's endpoint in words (its ssh URI; this machine's socket for local). */
    public synchronized String endpoint(String name) {
        Watch watch = watches.get(name);
        return watch == null ? "?" : watch.endpoint;
    }

    public synchronized List<String> names() {
        return List.copyOf(watches.keySet());
    }

    /** Jobs running on every rig reached, as last seen. */
    public int runningEverywhere() {
        return rigs.stream().mapToInt(r -> r.running().size()).sum();
    }

    /** Adds a rig the owner typed in; a name or endpoint the store refuses is said in {@link #problemProperty}. */
    public synchronized boolean add(String name, String endpoint) {
        try {
            RigContext added = store.add(name == null ? null : name.strip(), endpoint == null ? null : endpoint.strip());
            watch(added);
            problem.set("");
            return true;
        } catch (IOException | IllegalArgumentException e) {
            problem.set(e.getMessage());
            return false;
        }
    }

    public synchronized boolean remove(String name) {
        try {
            store.remove(name);
        } catch (IOException | IllegalArgumentException e) {
            problem.set(e.getMessage());
            return false;
        }
        Watch watch = watches.remove(name);
        if (watch != null) {
            // Off this thread: a link may be waiting on ssh's connect for its own timeout.
            Thread closing = new Thread(watch::close, "rig-close");
            closing.setDaemon(true);
            closing.start();
        }
        ui.execute(() -> rigs.removeIf(r -> r.name().equals(name)));
        problem.set("");
        return true;
    }

    /**
     * Tries an endpoint before it is added: {@code answer} gets "rigdeskd 1.2 with 3 GPUs" or the
     * reason it could not be reached (ssh's own words), on the UI executor.
     */
    public void test(String endpoint, Consumer<String> answer) {
        Thread probe = new Thread(() -> {
            String words;
            try (RigLink link = new RigLink(new RigContext("test", endpoint.strip()), env)) {
                Info info = link.api().info();
                words = "✓ rigdeskd " + info.version() + " answers, with " + link.api().gpus().size() + " GPU(s)";
            } catch (IOException | IllegalArgumentException e) {
                words = "✗ " + e.getMessage();
            }
            String said = words;
            ui.execute(() -> answer.accept(said));
        }, "rig-test");
        probe.setDaemon(true);
        probe.start();
    }

    private void watch(RigContext context) {
        RigLink link = context.isLocal() ? RigLink.local(localSocket) : new RigLink(context, env);
        String endpoint = context.isLocal() ? "this machine (" + localSocket + ")" : context.endpoint();
        RigView first = RigView.first(context.name(), endpoint);
        Watch watch = new Watch(link, first);
        watches.put(context.name(), watch);
        ui.execute(() -> put(first));
        watch.thread.scheduleWithFixedDelay(watch::look, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void put(RigView view) {
        for (int i = 0; i < rigs.size(); i++) {
            if (rigs.get(i).name().equals(view.name())) {
                rigs.set(i, view);
                return;
            }
        }
        synchronized (this) {
            if (!watches.containsKey(view.name())) {
                return; // removed while its look was on its way
            }
        }
        rigs.add(view);
    }

    @Override
    public synchronized void close() {
        watches.values().forEach(Watch::close);
        watches.clear();
    }

    /** One rig's watch: its own thread, so its timeouts are its own. */
    private final class Watch {
        final RigLink link;
        final String endpoint;
        final ScheduledExecutorService thread;
        private RigView last;

        Watch(RigLink link, RigView first) {
            this.link = link;
            this.endpoint = first.endpoint();
            this.last = first;
            this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread t = new Thread(runnable, "rig-" + link.context().name());
                t.setDaemon(true);
                return t;
            });
        }

        void look() {
            if (quiet()) {
                return;
            }
            RigdeskApi api = link.api();
            RigView now;
            try {
                var gpus = api.gpus();
                var running = new ArrayList<>(api.jobs("running", 100));
                running.addAll(api.jobs("booting", 100));
                var runner = api.runner();
                Map<String, GpuSample> samples = new LinkedHashMap<>();
                api.telemetry().samples().forEach(s -> samples.put(s.bdf(), s));
                now = new RigView(last.name(), endpoint, RigView.Reach.REACHABLE, null, gpus, samples, running,
                        runner, Instant.now());
            } catch (RigUnreachableException e) {
                now = last.unreachable(e.getCause().getMessage()); // the card names the rig already
            } catch (IOException | RuntimeException e) {
                now = last.unreachable(e.getMessage());
            }
            last = now;
            RigView shown = now;
            ui.execute(() -> put(shown));
        }

        /** This machine alone in the fleet: its window already shows it, so the Fleet card is refreshed only every 15 s. */
        private boolean quiet() {
            boolean alone;
            synchronized (FleetViewModel.this) {
                alone = watches.size() == 1;
            }
            return alone && link.context().isLocal() && last.seen() != null
                    && last.seen().isAfter(Instant.now().minus(ALONE));
        }

        void close() {
            thread.shutdownNow();
            link.close();
        }
    }
}
