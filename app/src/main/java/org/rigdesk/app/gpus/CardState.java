package org.rigdesk.app.gpus;

import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.Job;

/** What a GPU card's badge says, and its style: from the card's mode and the job holding it. */
public enum CardState {
    HOST("mode-host"),
    VFIO("mode-vfio"),
    /** A job's VM holds it. */
    IN_JOB("mode-in-job"),
    /** An idle runner slot's VM holds it, waiting for a GitHub job. */
    RUNNER_READY("mode-runner-ready"),
    CHANGING("mode-changing"),
    UNBOUND("mode-unbound");

    private final String styleClass;

    CardState(String styleClass) {
        this.styleClass = styleClass;
    }

    public String styleClass() {
        return styleClass;
    }

    /** {@code holderState}: the state of the job in {@code usedBy}, when the app knows it. */
    public static CardState of(Gpu gpu, String holderState) {
        if (gpu.usedBy() != null) {
            return Job.READY.equals(holderState) ? RUNNER_READY : IN_JOB;
        }
        return switch (GpuMode.of(gpu.mode()).orElse(GpuMode.HOST)) {
            case VFIO -> VFIO;
            case CHANGING -> CHANGING;
            case UNBOUND -> UNBOUND;
            case HOST -> HOST;
        };
    }

    /** The badge's words. */
    public String badge(Gpu gpu) {
        return switch (this) {
            case IN_JOB -> "In job #" + gpu.usedBy();
            case RUNNER_READY -> "Runner ready";
            case VFIO -> "VFIO";
            case CHANGING -> "Changing";
            case UNBOUND -> "Unbound";
            case HOST -> "Host";
        };
    }
}
