package org.rigdesk.api.wire;

import java.util.Arrays;
import java.util.Optional;

/** A GPU's mode as {@code GET /v1/gpus} reports it, and the two a toggle can ask for. */
public enum GpuMode {
    /** On its host driver (nvidia, amdgpu, i915, …). */
    HOST("host"),
    /** Every function of its group on vfio-pci: ready for job VMs. */
    VFIO("vfio"),
    /** No driver bound. */
    UNBOUND("unbound"),
    /** A toggle is moving it, or the kernel is stuck on it. */
    CHANGING("changing");

    private final String wire;

    GpuMode(String wire) {
        this.wire = wire;
    }

    /** The name on the wire ({@code "vfio"}). */
    public String wire() {
        return wire;
    }

    /** Whether a toggle may ask for it. */
    public boolean requestable() {
        return this == HOST || this == VFIO;
    }

    public static Optional<GpuMode> of(String wire) {
        return Arrays.stream(values()).filter(mode -> mode.wire.equals(wire)).findFirst();
    }

    @Override
    public String toString() {
        return wire;
    }
}
