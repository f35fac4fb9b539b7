package org.rigdesk.daemon.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.rigdesk.api.wire.Settings;
import org.rigdesk.daemon.host.DiskUsage;

/**
 * What one running job may take of the host's disk. A guest writes as fast as KVM allows: its
 * root disk's overlay, its cache layer, its console and the VMM's own log all grow on the state
 * directory's file system, usually the host's root. So the job is stopped, with the reason, when it
 * has made more than {@code jobDiskMaxGiB} there, when the file system is down to the
 * {@code stateMinFreeGiB} the host keeps, or when its VMM has written more than {@link #VMM_LOG_MAX}
 * to its own log. Measured every {@link #EVERY} ({@link DiskUsage}: allocated blocks).
 */
final class JobDisk {

    /** Below this the job's log itself could not be written, whatever the owner's reserve. */
    static final long MIN_FREE_BYTES = 8L << 20;
    /** QEMU's own messages: a few lines a job; more is a guest making it talk. */
    static final long VMM_LOG_MAX = 16L << 20;
    static final long EVERY = 2_000_000_000L;
    /** A start that is being made (a cache copied in while the VM runs): the quota waits for it. */
    static final long UNMEASURED = -1;

    private final Path dir;
    private final Path stateDir;
    private final Supplier<Settings> settings;
    /** Bytes the job's directory held before the guest ran (a raw copy of its cache, say). */
    private final LongSupplier start;
    private long checkedAt = Long.MIN_VALUE;
    private Optional<String> verdict = Optional.empty();

    JobDisk(Path dir, Path stateDir, Supplier<Settings> settings, LongSupplier start) {
        this.dir = dir;
        this.stateDir = stateDir;
        this.settings = settings;
        this.start = start;
    }

    /** Why the job cannot go on, or empty; measured at most once every {@link #EVERY}. */
    Optional<String> overLimit(long nowNanos) {
        if (checkedAt != Long.MIN_VALUE && nowNanos - checkedAt < EVERY) {
            return verdict;
        }
        checkedAt = nowNanos;
        verdict = measure();
        return verdict;
    }

    private Optional<String> measure() {
        Settings limits = settings.get();
        long reserve = Math.max(MIN_FREE_BYTES, (long) limits.stateMinFreeGiB() << 30);
        try {
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < reserve) {
                return Optional.of("the state directory's disk is full for jobs: " + (free >> 20) + " MiB free under "
                        + stateDir + ", and " + gib(limits.stateMinFreeGiB()) + " are kept for the host "
                        + "(stateMinFreeGiB): the job's disks and log cannot grow; free some space there");
            }
        } catch (IOException e) {
            // unknown: the job is not stopped for it
        }
        long vmmLog = size(dir.resolve("vmm.log"));
        if (vmmLog > VMM_LOG_MAX) {
            return Optional.of("the VMM wrote more than " + (VMM_LOG_MAX >> 20) + " MiB to its own log (vmm.log)");
        }
        long start = this.start.getAsLong();
        if (start == UNMEASURED) {
            return Optional.empty();
        }
        // Unknown: the job is not stopped for it.
        long made = DiskUsage.allocated(dir).orElse(0) - start;
        long quota = (long) limits.jobDiskMaxGiB() << 30;
        if (made > quota) {
            return Optional.of("the job made more than " + gib(limits.jobDiskMaxGiB()) + " on the host (its disks, "
                    + "cache layer and logs: " + (made >> 20) + " MiB; jobDiskMaxGiB)");
        }
        return Optional.empty();
    }

    private static String gib(int gib) {
        return gib + " GiB";
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
