package org.rigdesk.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The daemon's tunable settings ({@code GET/PUT /v1/settings}). In a PUT every field is optional:
 * absent (null) fields keep their value.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Settings(
        Integer sampleIntervalMs,
        Integer historyDays,
        Integer jobRetentionCount,
        Integer jobRetentionDays) {

    public static final Settings DEFAULTS = new Settings(1000, 30, 1000, 90);
}
