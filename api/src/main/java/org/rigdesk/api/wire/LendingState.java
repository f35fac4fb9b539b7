package org.rigdesk.api.wire;

import java.util.Arrays;
import java.util.Optional;

/** Where a card is on its way between the owner and CI ({@link GpuLending#state()} on the wire). */
public enum LendingState {
    /** On vfio-pci for CI: a warm slot holds it, or it waits for one. */
    LENT("lent"),
    /** On its host driver, the owner's. */
    DESK("desk"),
    /** On demand: on its host driver until a queued job asks for it. */
    STANDBY("standby"),
    /** Moving to vfio-pci for a job that waits. */
    MOVING("moving"),
    /** Coming back to the host: its VM stops, or a job on it finishes first. */
    RETURNING("returning"),
    /** Wanted elsewhere but refused (the owner's processes hold it, say); retried. */
    BLOCKED("blocked");

    private final String wire;

    LendingState(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<LendingState> of(String wire) {
        return Arrays.stream(values()).filter(state -> state.wire.equals(wire)).findFirst();
    }
}
