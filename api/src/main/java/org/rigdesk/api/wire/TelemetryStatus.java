package org.rigdesk.api.wire;

import java.util.List;

/** {@code GET /v1/telemetry}: whether sampling works, and the latest sample per GPU. */
public record TelemetryStatus(String state, String reason, int sampleIntervalMs, List<GpuSample> samples) {

    public static final String OK = "ok";
    public static final String STARTING = "starting";
    public static final String UNAVAILABLE = "unavailable";

    public TelemetryStatus {
        samples = samples == null ? List.of() : List.copyOf(samples);
    }
}
