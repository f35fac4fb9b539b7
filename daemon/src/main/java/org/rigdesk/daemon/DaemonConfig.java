package org.rigdesk.daemon;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.rigdesk.daemon.runner.HostPools;

/** Everything rigdeskd is told at start; validated by {@link Rigdeskd} before it gets here. */
public record DaemonConfig(
        Path socket,
        Path stateDir,
        Path sysfsRoot,
        Path procRoot,
        String socketGroup,
        Duration heartbeat,
        Set<String> accelerators,
        List<Path> pciIds,
        Duration sysfsWriteTimeout,
        long emulatedWriteDelayMillis,
        String nvidiaSmi,
        int sampleIntervalMs,
        Path image,
        String vmAccel,
        String vmm,
        Duration bootTimeout,
        Duration cancelGrace,
        String modprobe,
        Path modulesDir,
        int pauseAfterWrite,
        HostPools.Timings runnerTimings,
        String adminGroup,
        long jobLogMaxBytes,
        int vmmUidBase,
        String jobSubnet,
        List<java.net.InetSocketAddress> dnsUpstreams,
        List<String> dnsHiddenDomains,
        org.rigdesk.daemon.lending.LendingService.Timings lendingTimings,
        long cacheMinFreeBytes,
        boolean pauseInMerge) {

    public static final Path REAL_SYSFS = Path.of("/sys");

    /** True when running on a fake tree: the UI and /v1/info must say so. */
    public boolean simulated() {
        return !sysfsRoot.toAbsolutePath().normalize().equals(REAL_SYSFS);
    }

    public Path database() {
        return stateDir.resolve("rigdesk.db");
    }
}
