package org.rigdesk.api.wire;

import java.util.Arrays;
import java.util.Optional;

/** A runner slot's state ({@link RunnerStatus.Slot#state()} on the wire). */
public enum SlotState {
    /** Asking GitHub for a just-in-time runner. */
    STARTING(RunnerStatus.Slot.STARTING),
    /** Its VM boots. */
    BOOTING(RunnerStatus.Slot.BOOTING),
    /** Its runner listens for a job. */
    IDLE(RunnerStatus.Slot.IDLE),
    /** Its runner runs a GitHub job. */
    BUSY(RunnerStatus.Slot.BUSY),
    /** Its VM is being stopped. */
    STOPPING(RunnerStatus.Slot.STOPPING),
    /** The pool is paused: no runner until it resumes. */
    PAUSED(RunnerStatus.Slot.PAUSED),
    /** Waiting to retry after an error, or for a free GPU; the detail says which. */
    WAITING(RunnerStatus.Slot.WAITING);

    private final String wire;

    SlotState(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<SlotState> of(String wire) {
        return Arrays.stream(values()).filter(state -> state.wire.equals(wire)).findFirst();
    }
}
