package org.rigdesk.daemon.vfio;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.rigdesk.daemon.gpu.Bdf;
import org.rigdesk.daemon.gpu.PciDevice;
import org.rigdesk.daemon.gpu.SysfsReader;

/**
 * Moves every function of a card between its host drivers and vfio-pci, one ordered step at a
 * time (rule 5), each write bounded by a timeout (rule 6), rolling the whole group back to where
 * it started when any step fails (rule 7).
 */
public class GroupMover {

    private static final Logger LOG = Logger.getLogger(GroupMover.class.getName());

    /** A write did not return: the kernel is stuck on this card and nothing more may be tried. */
    public static class StuckException extends Exception {
        public StuckException(String message) {
            super(message);
        }
    }

    /** A step failed; the group was rolled back (rollback problems, if any, are in the message). */
    public static class MoveFailedException extends Exception {
        public MoveFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Kernel kernel;
    private final SysfsReader sysfs;
    private final Duration writeTimeout;
    private final ExecutorService writers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "sysfs-write");
        thread.setDaemon(true); // a write the kernel never returns from must not keep the JVM alive
        return thread;
    });

    public GroupMover(Kernel kernel, SysfsReader sysfs, Duration writeTimeout) {
        this.kernel = kernel;
        this.sysfs = sysfs;
        this.writeTimeout = writeTimeout;
    }

    public void toVfio(Card card) throws MoveFailedException, StuckException {
        move(card, card.toVfioOrder(), this::bindVfio);
    }

    public void toHost(Card card) throws MoveFailedException, StuckException {
        move(card, card.toHostOrder(), this::bindHost);
    }

    /** A function reset of the device at {@code dir} (its sysfs {@code reset}), bounded as any write. */
    public void reset(Path dir) throws IOException, StuckException {
        write(dir.resolve("reset"), "1");
    }

    /** Loads a module with the same timeout as a write. */
    public void modprobe(String module) throws IOException, StuckException {
        timed("modprobe " + module, () -> kernel.modprobe(module));
    }

    private interface Step {
        void apply(PciDevice function) throws IOException, StuckException;
    }

    private interface KernelCall {
        void run() throws IOException;
    }

    private void move(Card card, List<PciDevice> order, Step step) throws MoveFailedException, StuckException {
        List<PciDevice> touched = new ArrayList<>();
        try {
            for (PciDevice function : order) {
                touched.add(function);
                step.apply(function);
            }
        } catch (IOException e) {
            List<String> rollbackErrors = rollback(touched);
            String message = e.getMessage() + "; the group was rolled back"
                    + (rollbackErrors.isEmpty() ? "" : ", with errors: " + String.join("; ", rollbackErrors));
            throw new MoveFailedException(message, e);
        }
    }

    private void bindVfio(PciDevice function) throws IOException, StuckException {
        Bdf bdf = checkedIdentity(function);
        String driver = sysfs.driver(bdf);
        write(sysfs.device(bdf).resolve("driver_override"), VfioService.VFIO_DRIVER);
        if (VfioService.VFIO_DRIVER.equals(driver)) {
            return;
        }
        if (driver != null) {
            write(driverFile(driver, "unbind"), bdf.value());
        }
        write(sysfs.root().resolve("bus/pci/drivers_probe"), bdf.value());
        String now = sysfs.driver(bdf);
        if (!VfioService.VFIO_DRIVER.equals(now)) {
            throw new IOException("after probing, " + bdf + " is bound to " + (now == null ? "no driver" : now)
                    + " instead of vfio-pci");
        }
    }

    private void bindHost(PciDevice function) throws IOException, StuckException {
        Bdf bdf = checkedIdentity(function);
        String driver = sysfs.driver(bdf);
        // A lone newline clears driver_override (rule 5); never new_id.
        write(sysfs.device(bdf).resolve("driver_override"), "\n");
        if (driver != null && !VfioService.VFIO_DRIVER.equals(driver)) {
            return;
        }
        if (driver != null) {
            write(driverFile(driver, "unbind"), bdf.value());
        }
        write(sysfs.root().resolve("bus/pci/drivers_probe"), bdf.value());
        String now = sysfs.driver(bdf);
        if (now == null || VfioService.VFIO_DRIVER.equals(now)) {
            throw new IOException("after probing, no host driver took " + bdf
                    + " (is its driver module installed and loaded?)");
        }
    }

    /** Before every write, the slot must still hold the device we planned for (a card swapped since is not ours to move). */
    private Bdf checkedIdentity(PciDevice planned) throws IOException {
        PciDevice now = sysfs.read(planned.bdf()).orElseThrow(
                () -> new IOException(planned.bdf() + " disappeared"));
        if (!now.vendorDevice().equals(planned.vendorDevice())) {
            throw new IOException(planned.bdf() + " now holds " + now.vendorDevice() + ", not "
                    + planned.vendorDevice());
        }
        return planned.bdf();
    }

    /** Puts each touched function back on the driver and override it had, newest first. */
    private List<String> rollback(List<PciDevice> touched) throws StuckException {
        List<String> errors = new ArrayList<>();
        List<PciDevice> reverse = new ArrayList<>(touched);
        Collections.reverse(reverse);
        for (PciDevice original : reverse) {
            Bdf bdf = original.bdf();
            try {
                String current = sysfs.driver(bdf);
                String override = original.driverOverride();
                write(sysfs.device(bdf).resolve("driver_override"), override == null ? "\n" : override);
                if (current != null && !current.equals(original.driver())) {
                    write(driverFile(current, "unbind"), bdf.value());
                }
                if (original.driver() != null && sysfs.driver(bdf) == null) {
                    if (VfioService.VFIO_DRIVER.equals(original.driver())) {
                        write(sysfs.root().resolve("bus/pci/drivers_probe"), bdf.value());
                    } else {
                        write(driverFile(original.driver(), "bind"), bdf.value());
                    }
                }
                if (original.driver() != null && !original.driver().equals(sysfs.driver(bdf))) {
                    errors.add(bdf + " is on " + sysfs.driver(bdf) + " instead of " + original.driver());
                }
            } catch (IOException e) {
                errors.add(bdf + ": " + e.getMessage());
                LOG.warning("rollback of " + bdf + " failed: " + e.getMessage());
            }
        }
        return errors;
    }

    private Path driverFile(String driver, String file) throws IOException {
        if (!driver.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IOException("unexpected driver name " + Bdf.printable(driver));
        }
        return sysfs.root().resolve("bus/pci/drivers").resolve(driver).resolve(file);
    }

    private void write(Path attribute, String value) throws IOException, StuckException {
        LOG.fine(() -> "write " + attribute + " <- " + value.strip());
        timed("writing '" + value.strip() + "' to " + attribute, () -> kernel.write(attribute, value));
    }

    private void timed(String what, KernelCall call) throws IOException, StuckException {
        Future<?> future = writers.submit(() -> {
            call.run();
            return null;
        });
        try {
            future.get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new StuckException(what + " did not return within " + writeTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(what + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + what, e);
        }
    }
}
