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

    /** Waits for the VMM to exit; its exit code, or empty on timeout. */
    OptionalInt waitFor(Duration timeout) throws InterruptedException;
}
