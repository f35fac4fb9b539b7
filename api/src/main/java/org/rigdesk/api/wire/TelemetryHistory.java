package org.rigdesk.api.wire;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/telemetry/history}: every sample for windows up to an hour ({@code resolution}
 * "raw"), one-minute aggregates beyond ("minute", with min and max beside the average).
 */
public record TelemetryHistory(String gpu, int seconds, String resolution, List<Point> points) {

    public TelemetryHistory {
        points = points == null ? List.of() : List.copyOf(points);
    }

    public record Point(Instant at, Values avg, Values min, Values max) {
    }

    public record Values(Double utilizationGpu, Double memoryUsedMiB, Double temperatureC, Double powerDrawW) {
    }
}
