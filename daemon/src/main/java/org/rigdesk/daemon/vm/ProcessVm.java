package org.rigdesk.daemon.vm;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/** A VM whose VMM is our child process; powerdown is VMM-specific. */
abstract class ProcessVm implements VmInstance {

    protected final Process process;

    ProcessVm(Process process) {
        this.process = process;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public OptionalInt waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
    }
}
