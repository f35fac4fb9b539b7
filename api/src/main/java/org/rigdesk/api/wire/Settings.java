package org.rigdesk.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The daemon's tunable settings ({@code GET/PUT /v1/settings}). In a PUT every field is optional:
 * absent (null) fields keep their value. {@code networkAllow}: the owner's exceptions to job VMs'
 * isolation, each {@code HOST:PORT} or {@code CIDR:PORT} (a LAN package mirror, say).
 * {@code jobDiskMaxGiB}: the most one job may make on the host (its disks' growth, its cache layer,
 * its logs); {@code stateMinFreeGiB}: what the daemon keeps free on the state directory's file
 * system for the host (a job past either is stopped with the reason); {@code auditRetentionDays}:
 * how long the audit log keeps an entry.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Settings(
        Integer sampleIntervalMs,
        Integer historyDays,
        Integer jobRetentionCount,
        Integer jobRetentionDays,
        java.util.List<String> networkAllow,
        Integer jobDiskMaxGiB,
        Integer stateMinFreeGiB,
        Integer auditRetentionDays) {

    public static final Settings DEFAULTS = new Settings(1000, 30, 1000, 90, java.util.List.of(), 20, 5, 180);

    /** Settings without a word on the network exceptions and the disk limits (they keep their value). */
    public Settings(Integer sampleIntervalMs, Integer historyDays, Integer jobRetentionCount, Integer jobRetentionDays) {
        this(sampleIntervalMs, historyDays, jobRetentionCount, jobRetentionDays, null);
    }

    /** Settings without a word on the disk limits (they keep their value). */
    public Settings(Integer sampleIntervalMs, Integer historyDays, Integer jobRetentionCount, Integer jobRetentionDays,
                    java.util.List<String> networkAllow) {
        this(sampleIntervalMs, historyDays, jobRetentionCount, jobRetentionDays, networkAllow, null, null, null);
    }

    /** Only the disk limits. */
    public static Settings diskLimits(Integer jobDiskMaxGiB, Integer stateMinFreeGiB, Integer auditRetentionDays) {
        return new Settings(null, null, null, null, null, jobDiskMaxGiB, stateMinFreeGiB, auditRetentionDays);
    }
}
