package org.rigdesk.daemon.vm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Carries a VMM's console output into the job's log through {@link BoundedConsole}: the VMM
 * writes to a FIFO (every VMM takes a file path for its serial port), the daemon reads it. So the
 * VMM needs no right to the log, and the log's limits hold whatever the guest prints.
 */
public final class ConsolePump {

    private static final Logger LOG = Logger.getLogger(ConsolePump.class.getName());
    /** Signalled after each write to any job's log: what its followers wait on. */
    public static final LogGrowth GROWTH = new LogGrowth();

    private final Path fifo;
    private final Thread thread;

    private ConsolePump(Path fifo, Path log, long cap, String name) {
        this.fifo = fifo;
        this.thread = new Thread(() -> pump(log, cap), "console-" + name);
        thread.setDaemon(true);
    }

    /** Makes the FIFO and starts reading it (the read waits for the VMM to open it). */
    public static ConsolePump start(Path fifo, Path log, long cap, String name) throws IOException {
        Process mkfifo = new ProcessBuilder("mkfifo", "-m", "0600", fifo.toString()).redirectErrorStream(true).start();
        try {
            if (!mkfifo.waitFor(10, TimeUnit.SECONDS) || mkfifo.exitValue() != 0) {
                throw new IOException("mkfifo " + fifo + " failed: "
                        + new String(mkfifo.getInputStream().readAllBytes()).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        ConsolePump pump = new ConsolePump(fifo, log, cap, name);
        pump.thread.start();
        return pump;
    }

    private void pump(Path log, long cap) {
        try (InputStream in = Files.newInputStream(fifo);
             BoundedConsole out = new BoundedConsole(Files.newOutputStream(log, StandardOpenOption.APPEND), cap,
                     Files.size(log))) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                out.flush(); // the log is followed live
                GROWTH.signal();
            }
        } catch (IOException e) {
            LOG.warning("console of " + thread.getName() + " ended: " + e.getMessage());
        }
    }

    /**
     * Waits for the rest of the output once the VMM is gone. A VMM that never opened the FIFO
     * leaves the reader waiting in open: a writer that comes and goes at once ends it.
     */
    public void finish(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            try (FileChannel unblock = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                // read-write never blocks on a FIFO; closing it is the reader's end of file
            } catch (IOException e) {
                LOG.fine(() -> "cannot open " + fifo + " to end its reader: " + e.getMessage());
            }
            thread.join(timeout.toMillis());
        }
        if (thread.isAlive()) {
            LOG.warning(thread.getName() + " still reads " + fifo + ": a process outside the job holds it open");
        }
    }
}
