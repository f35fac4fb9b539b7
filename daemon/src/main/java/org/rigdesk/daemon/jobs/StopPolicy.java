package org.rigdesk.daemon.jobs;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.daemon.vm.VmSpec;

/**
 * When a running job's VM must be stopped, and with what state and reason: a cancel, the job's
 * time limit, a full state disk, or a boot that never printed anything. Times are
 * {@link System#nanoTime()} readings.
 */
final class StopPolicy {

    /** Why the VM is being stopped, and the state the job ends in. */
    record Stop(JobState state, String reason) {
    }

    private final JobsConfig config;
    private final int timeoutSeconds;
    private final long bootDeadline;
    /** A runner VM may wait for GitHub as long as it likes; its time limit starts with its job. */
    private long deadline;

    StopPolicy(JobsConfig config, int timeoutSeconds, boolean runner, long startedNanos) {
        this.config = config;
        this.timeoutSeconds = timeoutSeconds;
        this.bootDeadline = startedNanos + config.bootTimeout().toNanos();
        this.deadline = runner ? Long.MAX_VALUE : startedNanos + Duration.ofSeconds(timeoutSeconds).toNanos();
    }

    /** A runner VM took its GitHub job: the time limit runs from now. */
    void jobStarted(long now) {
        deadline = now + Duration.ofSeconds(timeoutSeconds).toNanos();
    }

    /**
     * {@code alive}: the guest has printed or sent something; {@code diskFull}: the reason when the
     * state disk is too full for the job to go on, else empty (asked only when nothing else stops it).
     */
    Optional<Stop> check(long now, boolean cancelRequested, boolean alive, Supplier<Optional<String>> diskFull) {
        if (cancelRequested) {
            return Optional.of(new Stop(JobState.CANCELLED, "cancelled"));
        }
        if (now > deadline) {
            return Optional.of(new Stop(JobState.TIMED_OUT, "the job ran longer than its timeout of " + timeoutSeconds + " s"));
        }
        Optional<String> full = diskFull.get();
        if (full.isPresent()) {
            return Optional.of(new Stop(JobState.FAILED, full.get()));
        }
        if (!alive && now > bootDeadline) {
            return Optional.of(new Stop(JobState.FAILED, "the VM printed nothing within " + config.bootTimeout().toSeconds()
                    + " s (accelerator " + config.accel().wire() + ")" + (config.accel() == VmSpec.Accel.KVM
                    ? "; if /dev/kvm is nested or broken, start rigdeskd with --vm-accel tcg" : "")));
        }
        return Optional.empty();
    }
}
