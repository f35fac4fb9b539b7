package org.rigdesk.api.wire;

import java.util.List;

/** {@code GET /v1/telemetry/processes}. */
public record ComputeProcesses(List<ComputeProcess> processes) {
    public ComputeProcesses {
        processes = processes == null ? List.of() : List.copyOf(processes);
    }
}
