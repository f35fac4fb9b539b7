package org.rigdesk.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The daemon's tunable settings ({@code GET/PUT /v1/settings}). In a PUT every field is optional:
 * absent (null) fields keep their value. {@code networkAllow}: the owner's exceptions to job VMs'
 * isolation, each {@code HOST:PORT} or {@code CIDR:PORT} (a LAN package mirror, say).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Settings(
        Integer sampleIntervalMs,
        Integer historyDays,
        Integer jobRetentionCount,
        Integer jobRetentionDays,
        java.util.List<String> networkAllow) {

    public static final Settings DEFAULTS = new Settings(1000, 30, 1000, 90, java.util.List.of());

    /** Settings without a word on the network exceptions (they keep their value). */
    public Settings(Integer sampleIntervalMs, Integer historyDays, Integer jobRetentionCount, Integer jobRetentionDays) {
        this(sampleIntervalMs, historyDays, jobRetentionCount, jobRetentionDays, null);
    }
}
