package org.rigdesk.app.connection;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.rigdesk.api.client.EventSubscription;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.client.DaemonException;
import org.rigdesk.api.client.DaemonUnreachableException;
import org.rigdesk.api.client.EventListener;
import org.rigdesk.api.wire.Info;

/**
 * Keeps the window connected: fetches {@code /v1/info}, holds the event stream open, and when
 * either fails retries with backoff until the daemon is back. Network work runs on
 * {@code background}; property changes are posted through {@code ui}, so tests run it without
 * the FX thread.
 */
public class ConnectionViewModel {

    static final Duration FIRST_RETRY = Duration.ofMillis(250);
    static final Duration MAX_RETRY = Duration.ofSeconds(2);
    /** Quick failures after a loss are shown as "reconnecting" before we call the daemon gone. */
    private static final int RECONNECT_ATTEMPTS = 4;

    private final RigdeskApi client;
    private final ScheduledExecutorService background;
    private final Executor ui;
    private final BiConsumer<String, String> eventSink;
    /** Where the daemon is, in words: its socket, or the rig the window shows. */
    private volatile java.util.function.Supplier<String> where;

    private final ObjectProperty<ConnectionState> state = new SimpleObjectProperty<>(ConnectionState.CONNECTING);
    private final ObjectProperty<Info> info = new SimpleObjectProperty<>();
    private final StringProperty detail = new SimpleStringProperty("");
    private final StringProperty remedy = new SimpleStringProperty("");

    // Touched only on the background executor.
    private boolean everConnected;
    private int failures;
    private long generation;
    private EventSubscription events;
    private volatile boolean stopped;

    public ConnectionViewModel(RigdeskApi client, ScheduledExecutorService background, Executor ui,
                               BiConsumer<String, String> eventSink) {
        this.client = client;
        this.background = background;
        this.ui = ui;
        this.eventSink = eventSink;
        this.where = () -> String.valueOf(client.socket());
    }

    /** How the status bar names where the daemon is (the window's rig, once it can show another). */
    public void describeWhereWith(java.util.function.Supplier<String> words) {
        this.where = words;
    }

    public void start() {
        background.execute(this::attempt);
    }

    public void stop() {
        stopped = true;
        try {
            background.execute(this::closeEvents);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // already shut down: the stream went with it
        }
    }

    /** Connects afresh (the window now looks at another rig): the old stream goes, the state starts over. */
    public void reconnect() {
        background.execute(() -> {
            generation++;
            closeEvents();
            everConnected = false;
            failures = 0;
            ui.execute(() -> state.set(ConnectionState.CONNECTING));
            attempt();
        });
    }

    /** Fetches info again now (e.g. after a change), without touching the connection. */
    public void refresh() {
        background.execute(() -> {
            try {
                Info latest = client.info();
                ui.execute(() -> info.set(latest));
            } catch (IOException e) {
                lost(generation, e);
            }
        });
    }

    private void attempt() {
        if (stopped) {
            return;
        }
        try {
            Info latest = client.info();
            failures = 0;
            everConnected = true;
            long current = ++generation;
            openEvents(current);
            ui.execute(() -> {
                info.set(latest);
                detail.set("rigdeskd " + latest.version() + " on " + where.get());
                remedy.set("");
                state.set(ConnectionState.CONNECTED);
            });
        } catch (IOException e) {
            failed(e);
        }
    }

    private void openEvents(long current) {
        closeEvents();
        events = client.events(new EventListener() {
            @Override
            public void onEvent(String type, String data) {
                eventSink.accept(type, data);
            }

            @Override
            public void onClosed(Throwable failure) {
                if (!stopped) {
                    try {
                        background.execute(() -> lost(current, failure));
                    } catch (java.util.concurrent.RejectedExecutionException closing) {
                        // the window is closing: nothing to reconnect
                    }
                }
            }
        });
    }

    /** The stream or a call failed: reconnect unless this is an older connection's echo. */
    private void lost(long of, Throwable failure) {
        if (stopped || of != generation) {
            return;
        }
        generation++;
        closeEvents();
        failed(failure instanceof IOException io ? io : new IOException("event stream ended"));
    }

    private void failed(IOException e) {
        failures++;
        ConnectionState next;
        String why;
        String what;
        if (e instanceof DaemonUnreachableException unreachable) {
            next = everConnected && failures <= RECONNECT_ATTEMPTS
                    ? ConnectionState.RECONNECTING : ConnectionState.DAEMON_NOT_RUNNING;
            // A remote rig's failure says itself (ssh's words); a socket's names the socket.
            why = unreachable.socket() == null ? unreachable.getMessage() : "No daemon answers on " + unreachable.socket();
            what = unreachable.remedy();
        } else if (e instanceof DaemonException refused) {
            next = ConnectionState.RECONNECTING;
            why = refused.getMessage();
            what = refused.problem().remedy() == null ? "" : refused.problem().remedy();
        } else {
            next = ConnectionState.RECONNECTING;
            why = "Lost the daemon: " + e.getMessage();
            what = "";
        }
        ui.execute(() -> {
            // The why and the remedy first: whoever watches the state sees them with it.
            detail.set(why);
            remedy.set(what);
            state.set(next);
        });
        if (!stopped) {
            background.schedule(this::attempt, delay(failures).toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    static Duration delay(int failures) {
        long millis = FIRST_RETRY.toMillis() << Math.min(Math.max(failures - 1, 0), 10);
        return Duration.ofMillis(Math.min(millis, MAX_RETRY.toMillis()));
    }

    private void closeEvents() {
        if (events != null) {
            events.cancel();
            events = null;
        }
    }

    public ReadOnlyObjectProperty<ConnectionState> stateProperty() {
        return state;
    }

    public ReadOnlyObjectProperty<Info> infoProperty() {
        return info;
    }

    public ReadOnlyStringProperty detailProperty() {
        return detail;
    }

    public ReadOnlyStringProperty remedyProperty() {
        return remedy;
    }

    public RigdeskApi client() {
        return client;
    }
}
