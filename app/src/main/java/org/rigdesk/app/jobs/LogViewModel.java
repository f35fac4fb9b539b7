package org.rigdesk.app.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableList;
import org.rigdesk.api.client.RigdeskApi;

/**
 * A job's log as lines for a virtualised list: a window of at most {@link #MAX_LINES} lines over
 * the daemon's log file. While following, the window slides with the end (lines streamed, handed
 * to the UI once per 100 ms, never per line); while the owner reads, it stays where they are and
 * stops taking lines once full. Scrolling to either edge reads the neighbouring lines back from
 * the daemon ({@link #loadEarlier}, {@link #loadLater}), so nothing is lost, only not held.
 * Its state belongs to the UI thread; readers run on threads of their own.
 */
public class LogViewModel {

    public static final int MAX_LINES = 200_000;
    /** And at most this many characters: 200,000 lines of 80, with room to spare. */
    public static final long MAX_CHARS = 48L << 20;
    /** How much one read-back asks for: about 12,000 lines of 80 characters. */
    static final int READ_BACK_BYTES = 1 << 20;
    private static final long BATCH_MILLIS = 100;
    /** A flood's batch is handed over early at this size, so no batch outgrows the window. */
    private static final int EARLY_BATCH = 50_000;

    private final RigdeskApi client;
    private final Executor ui;
    private final LogLines lines;
    private final BooleanProperty follow = new SimpleBooleanProperty(true);
    private final StringProperty status = new SimpleStringProperty("");
    private volatile InputStream current;
    /** Bumped by every new job, stop and restart: what an older reader hands over is dropped. */
    private volatile long generation;
    private long job = -1;
    /** A stream is appending to the window's end. */
    private boolean live;
    /** The daemon has lines after the window's end that it does not hold. */
    private boolean newerUnread;
    private boolean ended;
    private boolean reading;
    private String problem;

    public LogViewModel(RigdeskApi client, Executor ui) {
        this(client, ui, MAX_LINES, MAX_CHARS);
    }

    LogViewModel(RigdeskApi client, Executor ui, int maxLines, long maxChars) {
        this.client = client;
        this.ui = ui;
        this.lines = new LogLines(maxLines, maxChars);
        follow.addListener((o, was, now) -> {
            if (now && job >= 0 && newerUnread) {
                newerUnread = false;
                stream(lines.end());
            }
            describe();
        });
    }

    /** Shows job {@code id}'s log from the start, following it while it runs. */
    public void follow(long id) {
        stop();
        job = id;
        lines.reset(0);
        newerUnread = false;
        ended = false;
        problem = null;
        status.set("Loading the log of job " + id + "…");
        stream(0);
    }

    /** Stops reading and lets the lines go (the window closed; {@link #follow} reads them again). */
    public void release() {
        stop();
        lines.reset(0);
        newerUnread = false;
        ended = false;
    }

    /** Stops reading (the lines shown stay). */
    public void stop() {
        generation++;
        live = false;
        reading = false;
        InputStream stream = current;
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    /** The lines before the window, about a megabyte of them; {@code shown} gets how many were added. */
    public void loadEarlier(IntConsumer shown) {
        long to = lines.start();
        if (job < 0 || reading || to == 0) {
            return;
        }
        long from = Math.max(0, to - READ_BACK_BYTES);
        readBack(from, (int) (to - from), bytes -> {
            // Read from the middle of a line: its first bytes belong to the line before.
            int skip = from == 0 ? 0 : LineSplitter.firstLineStart(bytes, bytes.length);
            LineBatch batch = new LineBatch(from + skip);
            LineSplitter splitter = new LineSplitter(from + skip);
            splitter.feed(bytes, skip, bytes.length - skip, batch);
            splitter.finish(batch);
            batch.keepLast(lines.capacity() / 2); // half a window at most: what is in view stays
            return batch;
        }, batch -> {
            int before = lines.size();
            int added = lines.prepend(batch);
            if (before + added > lines.capacity()) {
                // The newest lines made room: the window no longer reaches the end.
                stopStream();
                newerUnread = true;
                follow.set(false);
            }
            shown.accept(added);
        });
    }

    /**
     * The lines after the window, when it stopped short of the end; {@code shown} gets where the
     * line that was last before now is.
     */
    public void loadLater(IntConsumer shown) {
        if (job < 0 || reading || !newerUnread) {
            return;
        }
        long from = lines.end();
        readBack(from, READ_BACK_BYTES, bytes -> {
            LineBatch batch = new LineBatch(from);
            LineSplitter splitter = new LineSplitter(from);
            splitter.feed(bytes, 0, bytes.length, batch);
            batch.reachedEnd = bytes.length < READ_BACK_BYTES;
            if (batch.reachedEnd && ended) {
                splitter.finish(batch); // the end of a finished log: its last line needs no newline
            }
            if (batch.size() > lines.capacity() / 2) {
                batch.keepFirst(lines.capacity() / 2); // half a window at most: what is in view stays
                batch.reachedEnd = false;
            }
            return batch;
        }, batch -> {
            int last = lines.size() - 1;
            int before = lines.size();
            lines.append(batch, true);
            int dropped = before + batch.size() - lines.size();
            if (batch.reachedEnd) {
                newerUnread = false;
                if (!ended) {
                    stream(lines.end()); // caught up: take the rest (a running job's lines as they come)
                }
            }
            shown.accept(Math.max(0, last - dropped));
        });
    }

    /** Reads a stretch off the UI thread and hands the lines to {@code apply} on it. */
    private void readBack(long from, int limit, Function<byte[], LineBatch> cut, Consumer<LineBatch> apply) {
        reading = true;
        long mine = generation;
        long id = job;
        Thread reader = new Thread(() -> {
            try {
                LineBatch batch = cut.apply(client.readLog(id, from, limit));
                ui.execute(() -> {
                    if (mine == generation && id == job) {
                        reading = false;
                        apply.accept(batch);
                        describe();
                    }
                });
            } catch (IOException e) {
                ui.execute(() -> {
                    if (mine == generation && id == job) {
                        reading = false;
                        problem = "Could not read the log back: " + e.getMessage();
                        describe();
                    }
                });
            }
        }, "log-read-" + id);
        reader.setDaemon(true);
        reader.start();
    }

    private void stopStream() {
        long keep = job;
        stop();
        job = keep;
    }

    /**
     * Streams the log from {@code offset} until the job ends: bytes are cut into lines on this
     * thread and handed to the UI every 100 ms (or per {@value #EARLY_BATCH} lines) by a second
     * one, so lines that come just before a quiet spell are shown at once.
     */
    private void stream(long offset) {
        long mine = ++generation;
        long id = job;
        live = true;
        reading = false;
        Object lock = new Object();
        LineBatch[] pending = {new LineBatch(offset)};
        LineSplitter splitter = new LineSplitter(offset);
        Thread reader = new Thread(() -> {
            Thread flusher = new Thread(() -> {
                while (mine == generation) {
                    try {
                        Thread.sleep(BATCH_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                    hand(lock, pending, mine, false);
                }
            }, "log-flush-" + id);
            flusher.setDaemon(true);
            flusher.start();
            try (InputStream stream = client.openLog(id, offset, true)) {
                current = stream;
                ui.execute(() -> {
                    if (mine == generation) {
                        describe(); // open: "Following…" even before a job's first line
                    }
                });
                byte[] buffer = new byte[1 << 16];
                for (int read; (read = stream.read(buffer)) > 0; ) {
                    if (mine != generation) {
                        return;
                    }
                    boolean full;
                    synchronized (lock) {
                        splitter.feed(buffer, 0, read, pending[0]);
                        full = pending[0].size() >= EARLY_BATCH;
                    }
                    if (full) {
                        hand(lock, pending, mine, false);
                    }
                }
                synchronized (lock) {
                    splitter.finish(pending[0]);
                }
                hand(lock, pending, mine, true);
            } catch (IOException e) {
                if (mine == generation) {
                    hand(lock, pending, mine, false);
                    ui.execute(() -> {
                        if (mine == generation) {
                            live = false;
                            problem = "Log stream ended: " + e.getMessage();
                            describe();
                        }
                    });
                }
            } finally {
                flusher.interrupt();
            }
        }, "log-" + id);
        reader.setDaemon(true);
        reader.start();
    }

    /** Hands what has arrived to the UI thread (nothing, unless it is the end). */
    private void hand(Object lock, LineBatch[] pending, long mine, boolean end) {
        LineBatch batch;
        synchronized (lock) {
            batch = pending[0];
            if (batch.size() == 0 && !end) {
                return;
            }
            pending[0] = new LineBatch(batch.end);
        }
        ui.execute(() -> {
            if (mine != generation) {
                return;
            }
            take(batch);
            if (end) {
                live = false;
                ended = true;
            }
            describe();
        });
    }

    /** UI thread: a streamed batch. Following, the window slides; reading, it fills and then stops. */
    void take(LineBatch batch) {
        if (follow.get()) {
            lines.append(batch, true);
        } else if (lines.append(batch, false) < batch.size()) {
            stopStream();
            newerUnread = true;
        }
    }

    private void describe() {
        String earlier = lines.start() > 0 ? "; earlier lines are read back when you scroll to the top" : "";
        if (problem != null) {
            status.set(problem);
        } else if (newerUnread) {
            status.set("Newer lines are read when you scroll to the bottom or tick Follow" + earlier);
        } else if (live) {
            status.set("Following…" + earlier);
        } else if (ended) {
            status.set("End of log." + (earlier.isEmpty() ? "" : " Earlier lines are read back when you scroll to the top."));
        }
    }

    /** Whether lines before the window can be read back. */
    public boolean hasEarlier() {
        return lines.start() > 0;
    }

    /** Whether the daemon has lines after the window that it does not hold. */
    public boolean hasLater() {
        return newerUnread;
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
