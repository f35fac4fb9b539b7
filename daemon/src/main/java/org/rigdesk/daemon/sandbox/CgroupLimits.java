package org.rigdesk.daemon.sandbox;

/**
 * What one job's VMM may use: memory in bytes (the guest's plus the VMM's own), tasks, a CPU
 * weight (cgroup v2's scale, 1 to 10000, 100 the default) with a ceiling of {@code cpuMax} cores,
 * and a disk weight (the same scale, cgroup v2 only).
 */
public record CgroupLimits(long memoryBytes, int pids, int cpuWeight, int cpuMax, int ioWeight) {

    /**
     * A quarter of the default disk weight: when a guest writes as fast as it can and the owner's
     * programs want the disk too, the owner's get four times the share (the packaged unit gives
     * rigdeskd as a whole the same weight against the desktop's slices).
     */
    static final int IO_WEIGHT = 25;

    /** QEMU's own memory beside the guest's: its code, device models and I/O buffers. */
    static final long VMM_OVERHEAD_BYTES = 256L << 20;
    /** TCG also keeps translated code (up to QEMU's default 1 GiB cache; it rarely fills). */
    static final long TCG_OVERHEAD_BYTES = 768L << 20;
    /** QEMU's threads: one per vCPU, its main loop, RCU, and a block I/O pool of up to 64. */
    static final int BASE_PIDS = 128;

    public static CgroupLimits forVm(int cpus, int memoryMiB, boolean tcg) {
        long memory = ((long) memoryMiB << 20) + VMM_OVERHEAD_BYTES + (tcg ? TCG_OVERHEAD_BYTES : 0);
        // A job with more vCPUs gets more of the CPU when jobs compete; one more core than its vCPUs
        // for the VMM's own threads, and no more.
        return new CgroupLimits(memory, BASE_PIDS + 2 * cpus, Math.min(10_000, 100 * cpus), cpus + 1, IO_WEIGHT);
    }

    /** cgroup v1's cpu.shares for the weight (1024 is v1's default as 100 is v2's). */
    long cpuShares() {
        return Math.max(2, cpuWeight * 1024L / 100);
    }
}
