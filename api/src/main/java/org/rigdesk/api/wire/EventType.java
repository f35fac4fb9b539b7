package org.rigdesk.api.wire;

import java.util.Arrays;
import java.util.Optional;

/**
 * The catalogue of {@code GET /v1/events}' Server-Sent Event names, each with the payload type
 * its {@code data:} holds.
 */
public enum EventType {
    /** A GPU's state changed. */
    GPU("gpu", Gpu.class),
    /** A telemetry sample of one GPU. */
    SAMPLE("sample", GpuSample.class),
    /** The sampler went down, with the reason. */
    TELEMETRY("telemetry", TelemetryEvent.class),
    /** A job was queued or changed state. */
    JOB("job", Job.class),
    /** A runner VM that never took a job ended: it leaves no record. */
    JOB_REMOVED("job-removed", Job.class),
    /** The runner registration, its slots or GitHub's back-off changed. */
    RUNNER("runner", RunnerEvent.class),
    /** The daemon's settings changed. */
    SETTINGS("settings", Settings.class);

    private final String wire;
    private final Class<?> payload;

    EventType(String wire, Class<?> payload) {
        this.wire = wire;
        this.payload = payload;
    }

    public String wire() {
        return wire;
    }

    public Class<?> payload() {
        return payload;
    }

    public static Optional<EventType> of(String wire) {
        return Arrays.stream(values()).filter(type -> type.wire.equals(wire)).findFirst();
    }
}
