package org.rigdesk.daemon.vfio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * For fault tests only (hidden flag): stops the toggle after the N-th kernel write of the
 * daemon's life (0: before the first) and logs where, so a test can kill -9 the daemon at that
 * exact step, on the emulated kernel and on a real one.
 */
public class PausingKernel implements Kernel {

    private static final Logger LOG = Logger.getLogger(PausingKernel.class.getName());
    /** Until killed, in effect: the toggle gives up on a write after --sysfs-write-timeout-ms (10 s). */
    private static final long PAUSE_MILLIS = 600_000;

    private final Kernel kernel;
    private final int pauseAfter;
    private final AtomicInteger writes = new AtomicInteger();

    public PausingKernel(Kernel kernel, int pauseAfter) {
        this.kernel = kernel;
        this.pauseAfter = pauseAfter;
    }

    @Override
    public void write(Path attribute, String value) throws IOException {
        if (pauseAfter == 0 && writes.get() == 0) {
            pause("before kernel write 1 (" + describe(attribute, value) + ")");
        }
        kernel.write(attribute, value);
        if (writes.incrementAndGet() == pauseAfter) {
            pause("after kernel write " + pauseAfter + " (" + describe(attribute, value) + ")");
        }
    }

    @Override
    public void modprobe(String module) throws IOException {
        kernel.modprobe(module);
    }

    private static String describe(Path attribute, String value) {
        int names = attribute.getNameCount();
        return attribute.subpath(Math.max(0, names - 2), names) + " <- " + value.replace("\n", "\\n");
    }

    private static void pause(String where) {
        LOG.warning("debug: paused " + where);
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
