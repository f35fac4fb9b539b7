package org.rigdesk.daemon.telemetry;

import java.time.Duration;
import java.util.function.Supplier;

/** How telemetry samples: which executables, how often, how long to keep aggregates. */
public record TelemetryConfig(String nvidiaSmi, String rocmSmi, int intervalMs, Duration processesEvery,
                              Supplier<Integer> historyDays) {
}
