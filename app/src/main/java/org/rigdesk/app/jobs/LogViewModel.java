package org.rigdesk.app.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.rigdesk.api.client.RigdeskApi;

/**
 * A job's log as lines for a virtualised list: streamed while the job runs, appended in batches
 * (one UI update per 100 ms, never per line), and bounded: past {@link #MAX_LINES} the oldest
 * lines are dropped and a notice says how many.
 */
public class LogViewModel {

    public static final int MAX_LINES = 200_000;
    private static final long BATCH_NANOS = 100_000_000L;

    private final RigdeskApi client;
    private final Executor ui;
    private final ObservableList<String> lines = FXCollections.observableArrayList();
    private final BooleanProperty follow = new SimpleBooleanProperty(true);
    private final StringProperty status = new SimpleStringProperty("");
    private volatile InputStream current;
    private volatile long generation;
    private long dropped;

    public LogViewModel(RigdeskApi client, Executor ui) {
        this.client = client;
        this.ui = ui;
    }

    /** Shows job {@code id}'s log from the start, following it while it runs. */
    public void follow(long id) {
        stop();
        long mine = ++generation;
        lines.clear();
        dropped = 0;
        status.set("Loading the log of job " + id + "…");
        Thread reader = new Thread(() -> read(id, mine), "log-" + id);
        reader.setDaemon(true);
        reader.start();
    }

    public void stop() {
        generation++;
        InputStream stream = current;
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    /**
     * Reads the stream on this thread; lines go to the window in batches, every 100 ms or per
     * 50,000 lines, from a second thread, so lines that arrive just before a quiet spell are shown
     * at once rather than when the next line comes.
     */
    private void read(long id, long mine) {
        List<String>[] pending = newBatch();
        Thread flusher = new Thread(() -> {
            while (mine == generation) {
                try {
                    Thread.sleep(BATCH_NANOS / 1_000_000);
                } catch (InterruptedException e) {
                    return;
                }
                flush(pending, mine, null);
            }
        }, "log-flush-" + id);
        flusher.setDaemon(true);
        flusher.start();
        try (InputStream stream = client.openLog(id, 0, true)) {
            current = stream;
            BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8), 1 << 16);
            for (String line; (line = reader.readLine()) != null; ) {
                if (mine != generation) {
                    return;
                }
                boolean full;
                synchronized (pending) {
                    pending[0].add(line);
                    full = pending[0].size() >= 50_000;
                }
                if (full) {
                    flush(pending, mine, null);
                }
            }
            flush(pending, mine, "End of log.");
        } catch (IOException e) {
            if (mine == generation) {
                flush(pending, mine, null);
                ui.execute(() -> status.set("Log stream ended: " + e.getMessage()));
            }
        } finally {
            flusher.interrupt();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String>[] newBatch() {
        return new List[] {new ArrayList<String>()};
    }

    /** Hands what has arrived to the UI thread (nothing, unless it is the end). */
    private void flush(List<String>[] pending, long mine, String endStatus) {
        List<String> batch;
        synchronized (pending) {
            batch = pending[0];
            if (batch.isEmpty() && endStatus == null) {
                return;
            }
            pending[0] = new ArrayList<>();
        }
        publish(batch, mine, endStatus);
    }

    private void publish(List<String> batch, long mine, String endStatus) {
        ui.execute(() -> {
            if (mine != generation) {
                return;
            }
            append(batch);
            status.set(endStatus != null ? endStatus : dropped > 0 ? dropped + " earlier lines not shown "
                    + "(rigdesk logs ID has them all)" : "Following…");
        });
    }

    /** Appends lines (UI thread), keeping at most {@link #MAX_LINES}. */
    void append(List<String> batch) {
        lines.addAll(batch);
        int excess = lines.size() - MAX_LINES;
        if (excess > 0) {
            lines.remove(0, excess);
            dropped += excess;
        }
    }

    public ObservableList<String> lines() {
        return lines;
    }

    public BooleanProperty followProperty() {
        return follow;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public String text() {
        return String.join("\n", lines);
    }
}
