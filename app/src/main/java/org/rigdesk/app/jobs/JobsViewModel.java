package org.rigdesk.app.jobs;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import org.rigdesk.api.client.DaemonException;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.api.wire.Json;
import org.rigdesk.app.ui.Dialogs;
import org.rigdesk.app.ui.EventDispatcher;

/** The Jobs page: the job list kept current by {@code job} events, a state filter, run and cancel. */
public class JobsViewModel {

    /** Filter value meaning every state. */
    public static final String ALL = "all";

    private final RigdeskApi client;
    private final Dialogs dialogs;
    private final Executor background;
    private final Executor ui;
    private final ObservableList<Job> jobs = FXCollections.observableArrayList();
    private final FilteredList<Job> shown = new FilteredList<>(jobs);
    private final StringProperty filter = new SimpleStringProperty(ALL);
    private final ObjectProperty<Job> selected = new SimpleObjectProperty<>();
    private final StringProperty message = new SimpleStringProperty("");
    /** Idle runner VMs: not work yet, so not rows; the page says how many wait. */
    private final javafx.beans.property.LongProperty waitingRunners = new javafx.beans.property.SimpleLongProperty();
    /** Where the runner's GitHub lives ("https://github.com"), for "Open on GitHub"; set from the registration. */
    private final StringProperty webBase = new SimpleStringProperty("https://github.com");
    private final LogViewModel log;
    private final NetworkViewModel network;

    public JobsViewModel(RigdeskApi client, Executor background, Executor ui, Dialogs dialogs) {
        this.client = client;
        this.dialogs = dialogs;
        this.background = background;
        this.ui = ui;
        this.log = new LogViewModel(client, ui);
        this.network = new NetworkViewModel(client, background, ui);
        shown.setPredicate(job -> isWork(job, ALL));
        filter.addListener((obs, old, now) -> shown.setPredicate(job -> isWork(job, now)));
        jobs.addListener((javafx.collections.ListChangeListener<Job>) change -> waitingRunners.set(
                jobs.stream().filter(job -> job.is(JobState.READY)).count()));
        selected.addListener((obs, old, now) -> {
            // A new selection, or the selected job moved on (its log grows until it ends).
            if (now == null || old == null || old.id() != now.id() || now.finished() != old.finished()) {
                network.show(now);
            }
            if (now == null) {
                log.stop();
            } else if (old == null || old.id() != now.id()) {
                log.follow(now.id());
            }
        });
    }

    public void reload() {
        background.execute(() -> {
            try {
                List<Job> latest = client.jobs(null, 200);
                ui.execute(() -> {
                    latest.forEach(this::upsert);
                    jobs.removeIf(job -> latest.stream().noneMatch(l -> l.id() == job.id()));
                });
            } catch (IOException e) {
                ui.execute(() -> message.set("Cannot list jobs: " + e.getMessage()));
            }
        });
    }

    /** A batch of {@code job} events (UI thread): rows change in place, new jobs go on top. */
    public void onEvents(List<EventDispatcher.Received> events) {
        for (EventDispatcher.Received event : events) {
            try {
                upsert(Json.mapper().readValue(event.data(), Job.class));
            } catch (IOException e) {
                // a malformed event: the next reload corrects the list
            }
        }
    }

    /** A runner VM that never took a GitHub job is forgotten by the daemon: its row goes too. */
    public void onRemoved(List<EventDispatcher.Received> events) {
        for (EventDispatcher.Received event : events) {
            try {
                long id = Json.mapper().readValue(event.data(), Job.class).id();
                jobs.removeIf(job -> job.id() == id);
                if (selected.get() != null && selected.get().id() == id) {
                    selected.set(null);
                }
            } catch (IOException e) {
                // a malformed event: the next reload corrects the list
            }
        }
    }

    void upsert(Job job) {
        for (int i = 0; i < jobs.size(); i++) {
            if (jobs.get(i).id() == job.id()) {
                if (!jobs.get(i).equals(job)) {
                    jobs.set(i, job);
                }
                if (selected.get() != null && selected.get().id() == job.id()) {
                    selected.set(job);
                }
                return;
            }
        }
        jobs.add(job);
        FXCollections.sort(jobs, Comparator.comparingLong(Job::id).reversed());
    }

    /** Starts a local job; {@code onDone} gets the job, or the daemon's refusal as the message. */
    public void run(String script, int gpus, int cpus, int memoryMiB, java.util.function.Consumer<Job> onDone) {
        background.execute(() -> {
            try {
                Job job = client.submitJob(JobRequest.onGpuCount(null, script, gpus, cpus,
                        memoryMiB, null, null, null));
                ui.execute(() -> {
                    upsert(job);
                    message.set("");
                    onDone.accept(job);
                });
            } catch (DaemonException e) {
                ui.execute(() -> message.set(e.getMessage() + (e.problem().remedy() == null ? ""
                        : " — " + e.problem().remedy())));
            } catch (IOException e) {
                ui.execute(() -> message.set("Cannot reach the daemon: " + e.getMessage()));
            }
        });
    }

    /** Asks for a local job and runs it; the table then shows it selected, its log followed. */
    public void runFromDialog() {
        dialogs.askForJob().ifPresent(form -> run(form.script(), form.gpus(), form.cpus(), form.memoryMiB(),
                selected::set));
    }

    /** Cancels the selected job once the person agrees. */
    public void cancelSelected() {
        Job job = selected.get();
        if (job != null && !job.finished() && dialogs.confirm(new Dialogs.Confirmation("confirm-cancel",
                "Cancel job #" + job.id() + " (" + job.name() + ")?", "Its VM is powered down; if it does not stop "
                + "within the grace period it is stopped. Its log is kept.", "Cancel job", "Keep running"))) {
            cancel(job);
        }
    }

    public void cancel(Job job) {
        background.execute(() -> {
            try {
                Job now = client.cancelJob(job.id());
                ui.execute(() -> upsert(now));
            } catch (IOException e) {
                ui.execute(() -> message.set("Cannot cancel job " + job.id() + ": " + e.getMessage()));
            }
        });
    }

    /**
     * A row of the table: a job that was or is work, in the filter's state. An idle runner VM (ready)
     * is a slot waiting for work, shown as a count, unless the filter asks for "ready" itself.
     */
    private static boolean isWork(Job job, String filter) {
        if (filter == null || ALL.equals(filter)) {
            return !job.is(JobState.READY);
        }
        return filter.equals(job.state());
    }

    public javafx.beans.property.ReadOnlyLongProperty waitingRunnersProperty() {
        return waitingRunners;
    }

    public StringProperty webBaseProperty() {
        return webBase;
    }

    /** The run's page on GitHub for a runner job ("…/octo/gpu-ci/actions/runs/42"), or null for a local job. */
    public String githubUrl(Job job) {
        if (job == null || job.repository() == null || job.runId() == null) {
            return null;
        }
        String base = webBase.get().endsWith("/") ? webBase.get() : webBase.get() + "/";
        return base + job.repository() + "/actions/runs/" + job.runId()
                + (job.runAttempt() == null || job.runAttempt() <= 1 ? "" : "/attempts/" + job.runAttempt());
    }

    public ObservableList<Job> shown() {
        return shown;
    }

    public ObservableList<Job> all() {
        return jobs;
    }

    public StringProperty filterProperty() {
        return filter;
    }

    public ObjectProperty<Job> selectedProperty() {
        return selected;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public NetworkViewModel network() {
        return network;
    }

    public LogViewModel log() {
        return log;
    }
}
