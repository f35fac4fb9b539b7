package org.rigdesk.daemon.telemetry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A long-running sampler process ({@code nvidia-smi … -lms N}): its stdout lines go to a listener;
 * when it cannot start, exits, or goes silent, the listener hears why and the process is started
 * again with backoff. Every child is waited for, so none is left behind as a zombie.
 */
public class SamplingChild implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SamplingChild.class.getName());
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** What the child reports. Called on the child's reader thread or the scheduler. */
    public interface Listener {
        void onLine(String line);

        void onDown(String reason);
    }

    private final Supplier<List<String>> command;
    private final Supplier<Duration> silenceLimit;
    private final Listener listener;
    private final ScheduledExecutorService scheduler;
    private final Object lock = new Object();
    private Process process;
    private long generation;
    private long lastOutputNanos;
    private int failures;
    private boolean closed;
    private boolean paused;
    private ScheduledFuture<?> watchdog;
    private ScheduledFuture<?> pendingRestart;

    public SamplingChild(Supplier<List<String>> command, Supplier<Duration> silenceLimit, Listener listener,
                         ScheduledExecutorService scheduler) {
        this.command = command;
        this.silenceLimit = silenceLimit;
        this.listener = listener;
        this.scheduler = scheduler;
    }

    public void start() {
        stopOrphans(command.get());
        synchronized (lock) {
            watchdog = scheduler.scheduleWithFixedDelay(this::checkSilence, 250, 250, TimeUnit.MILLISECONDS);
        }
        launch();
    }

    /**
     * A daemon killed with -9 leaves its sampling child running, adopted by init (systemd's
     * cgroup kill covers this under the unit; a daemon run by hand has nothing else). At start,
     * a process running exactly our sampling command whose parent is gone is such a leftover.
     */
    static void stopOrphans(List<String> argv) {
        String ours = String.join(" ", argv);
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(line -> line.endsWith(ours)).orElse(false))
                .filter(p -> p.parent().map(parent -> parent.pid() == 1 || !parent.isAlive()).orElse(true))
                .forEach(p -> {
                    LOG.warning("stopping " + argv.get(0) + " (pid " + p.pid() + ") left by a previous rigdeskd");
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
    }

    /** The output was good: the next failure starts the backoff from the beginning. */
    public void healthy() {
        synchronized (lock) {
            failures = 0;
        }
    }

    /** Stops the current child and starts a new one now (the command may have changed). */
    public void restartNow() {
        synchronized (lock) {
            stopProcess();
            generation++;
        }
        launch();
    }

    /** Stops the current child (its output is unusable) and tries again after the backoff. */
    public void restartLater(String reason) {
        long stopped;
        synchronized (lock) {
            stopProcess();
            stopped = ++generation;
        }
        down(stopped, reason);
    }

    /** Stops the child and waits for it to exit; no restart until {@link #resume()}. */
    public void pause() {
        synchronized (lock) {
            paused = true;
            generation++;
            if (pendingRestart != null) {
                pendingRestart.cancel(false);
            }
            stopProcess();
        }
    }

    public void resume() {
        synchronized (lock) {
            if (!paused) {
                return;
            }
            paused = false;
        }
        launch();
    }

    public Long pid() {
        synchronized (lock) {
            return process != null && process.isAlive() ? process.pid() : null;
        }
    }

    private void launch() {
        List<String> argv = command.get();
        long mine;
        Process started;
        synchronized (lock) {
            if (closed || paused) {
                return;
            }
            mine = ++generation;
            try {
                started = new ProcessBuilder(argv).start();
            } catch (IOException e) {
                started = null;
                process = null;
            }
            if (started != null) {
                process = started;
                lastOutputNanos = System.nanoTime();
            }
        }
        if (started == null) {
            down(mine, "cannot run " + argv.get(0) + ": not found or not executable");
            return;
        }
        Process child = started;
        StderrTail stderr = new StderrTail(child.getErrorStream());
        Thread reader = new Thread(() -> read(child, mine, stderr), "telemetry-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(Process child, long mine, StderrTail stderr) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                synchronized (lock) {
                    if (mine != generation) {
                        return;
                    }
                    lastOutputNanos = System.nanoTime();
                }
                if (!line.isBlank()) {
                    listener.onLine(line);
                }
            }
        } catch (IOException e) {
            // the pipe closed under us: handled as an exit below
        }
        int code;
        try {
            code = child.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        String tail = stderr.text();
        down(mine, "nvidia-smi exited with code " + code + (tail.isEmpty() ? "" : ": " + tail));
    }

    private void checkSilence() {
        long mine;
        Duration limit = silenceLimit.get();
        synchronized (lock) {
            if (closed || paused || process == null || !process.isAlive()
                    || System.nanoTime() - lastOutputNanos < limit.toNanos()) {
                return;
            }
            stopProcess();
            mine = ++generation;
        }
        down(mine, "nvidia-smi printed nothing for " + limit.toMillis() / 1000.0 + " s (hung); restarting it");
    }

    /** Reports the failure once per generation and schedules the next start. */
    private void down(long of, String reason) {
        Duration delay;
        synchronized (lock) {
            if (closed || paused || of != generation) {
                return;
            }
            failures++;
            delay = backoff(failures);
            if (pendingRestart != null) {
                pendingRestart.cancel(false);
            }
            pendingRestart = scheduler.schedule(this::launch, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
        LOG.warning(reason + " (next try in " + delay.toMillis() + " ms)");
        listener.onDown(reason);
    }

    static Duration backoff(int failures) {
        long millis = FIRST_BACKOFF.toMillis() << Math.min(Math.max(failures - 1, 0), 10);
        return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
    }

    /** Kills the child and waits for it (no zombie). Caller holds the lock. */
    private void stopProcess() {
        if (process == null) {
            return;
        }
        Process old = process;
        process = null;
        old.descendants().forEach(ProcessHandle::destroyForcibly);
        old.destroyForcibly();
        try {
            old.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            generation++;
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            if (pendingRestart != null) {
                pendingRestart.cancel(false);
            }
            stopProcess();
        }
    }

    /** Keeps the last 1 KiB of the child's stderr for the "why it died" message. */
    private static final class StderrTail {
        private final StringBuilder text = new StringBuilder();

        StderrTail(InputStream stderr) {
            Thread drain = new Thread(() -> {
                byte[] buffer = new byte[1024];
                try (stderr) {
                    for (int n; (n = stderr.read(buffer)) > 0; ) {
                        synchronized (text) {
                            text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                            if (text.length() > 1024) {
                                text.delete(0, text.length() - 1024);
                            }
                        }
                    }
                } catch (IOException e) {
                    // child gone
                }
            }, "telemetry-stderr");
            drain.setDaemon(true);
            drain.start();
        }

        String text() {
            try {
                Thread.sleep(20); // let the drain catch the last words
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (text) {
                return text.toString().strip().replace('\n', ' ');
            }
        }
    }
}
