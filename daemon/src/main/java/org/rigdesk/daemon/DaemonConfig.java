package org.rigdesk.daemon;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Everything rigdeskd is told at start, one group per capability; validated by {@link Rigdeskd}
 * before it gets here. Plain values only: {@link Daemon} makes each capability's own settings
 * from its group, so no capability's types live here.
 */
public record DaemonConfig(Path stateDir, Api api, Host host, Toggle toggle, Telemetry telemetry, Vms vms,
                           Network network, Runner runner, Lending lending, Caches caches) {

    public static final Path REAL_SYSFS = Path.of("/sys");

    /** The socket, who may read it and who may change things, and the event stream's heartbeat. */
    public record Api(Path socket, String socketGroup, String adminGroup, Duration heartbeat) {
    }

    /** Where the host's devices and modules are read (a fake tree on a simulated rig). */
    public record Host(Path sysfsRoot, Path procRoot, List<Path> pciIds, String modprobe, Path modulesDir) {
    }

    /** The VFIO toggle's sysfs writes: their timeout, and the slow-kernel knobs the kill tests use. */
    public record Toggle(Duration sysfsWriteTimeout, long emulatedWriteDelayMillis, int pauseAfterWrite) {
    }

    /** The nvidia-smi to run and how often it samples (0: the settings decide). */
    public record Telemetry(String nvidiaSmi, int sampleIntervalMs) {
    }

    /** Job VMs: the image, the VMMs and accelerators allowed, boot and cancel limits, the log cap, the VMM uids. */
    public record Vms(Path image, Set<String> accelerators, String vmAccel, String vmm, Duration bootTimeout,
                      Duration cancelGrace, long jobLogMaxBytes, int vmmUidBase) {
    }

    /** Job networks: the subnet they are cut from, the resolvers behind them, the search domains they never see. */
    public record Network(String jobSubnet, List<InetSocketAddress> dnsUpstreams, List<String> dnsHiddenDomains) {
    }

    /** The runner pool's clocks: GitHub polls, the graces before a runner or job is given up, release checks. */
    public record Runner(Duration poll, Duration offlineGrace, Duration jobGrace, Clock clock, Duration releaseCheck) {
    }

    /** The lending thread's clock, its tick and the wait before a refused move is tried again. */
    public record Lending(Clock clock, Duration tick, Duration retry) {
    }

    /** The state disk's reserve for caches, and a pause inside a merge for the crash tests. */
    public record Caches(long minFreeBytes, boolean pauseInMerge) {
    }

    /** True when running on a fake tree: the UI and /v1/info must say so. */
    public boolean simulated() {
        return !host.sysfsRoot().toAbsolutePath().normalize().equals(REAL_SYSFS);
    }

    public Path database() {
        return stateDir.resolve("rigdesk.db");
    }
}
