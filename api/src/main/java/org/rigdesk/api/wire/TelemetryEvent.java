package org.rigdesk.api.wire;

/** The {@code telemetry} event: the sampler went down ({@code unavailable}) and why. */
public record TelemetryEvent(String state, String reason) {
}
