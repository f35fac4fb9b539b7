package org.rigdesk.api.wire;

import java.time.Instant;

/**
 * One GPU's telemetry at one moment. Every value is nullable: drivers report "[N/A]" or
 * "[Not Supported]" for what a card cannot measure. {@code source} is host (host nvidia-smi or
 * rocm-smi), guest (nvidia-smi inside a job VM) or none (the host cannot see the card: it is on vfio-pci).
 */
public record GpuSample(
        String bdf,
        Integer index,
        String uuid,
        String name,
        String driverVersion,
        Double temperatureC,
        Double utilizationGpu,
        Double utilizationMemory,
        Double memoryTotalMiB,
        Double memoryUsedMiB,
        Double powerDrawW,
        Double powerLimitW,
        Double fanSpeedPct,
        Double smClockMHz,
        String pstate,
        String source,
        Instant at,
        Long ageMs) {

    public static final String HOST = "host";
    public static final String GUEST = "guest";
    public static final String NONE = "none";

    public GpuSample withAge(Instant now) {
        return new GpuSample(bdf, index, uuid, name, driverVersion, temperatureC, utilizationGpu, utilizationMemory,
                memoryTotalMiB, memoryUsedMiB, powerDrawW, powerLimitW, fanSpeedPct, smClockMHz, pstate, source, at,
                at == null ? null : Math.max(0, now.toEpochMilli() - at.toEpochMilli()));
    }

    /** A GPU the host cannot measure (on vfio-pci, in a VM). */
    public static GpuSample invisible(String bdf) {
        return new GpuSample(bdf, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                NONE, null, null);
    }
}
