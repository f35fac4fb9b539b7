package org.rigdesk.daemon.vm;

import java.time.Duration;
import java.util.OptionalInt;

/** A running VM. */
public interface VmInstance {

    long pid();

    boolean isAlive();

    /** Asks the guest to shut down (ACPI power button); it may ignore it. */
    void powerdown();

    /** Ends the VM now. */
    void kill();

    /**
     * Adds a raw disk with {@code serial} to the running VM (made with {@link VmSpec#diskLater});
     * a VMM that cannot says so.
     */
    default void attachDisk(java.nio.file.Path disk, String serial) throws java.io.IOException {
        throw new java.io.IOException("this VMM cannot add a disk to a running VM");
    }

    /** Waits for the VMM to exit; its exit code, or empty on timeout. */
    OptionalInt waitFor(Duration timeout) throws InterruptedException;
}
