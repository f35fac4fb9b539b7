package org.rigdesk.daemon;

import org.rigdesk.daemon.problems.StartupException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.rigdesk.api.client.SocketLocator;
import org.rigdesk.daemon.gpu.PciIds;
import org.rigdesk.daemon.host.ProcessIdentity;
import org.rigdesk.daemon.logging.Logs;
import org.rigdesk.daemon.network.JobNetworks;
import org.rigdesk.daemon.runner.FastClock;
import org.rigdesk.daemon.sandbox.VmmUsers;
import org.rigdesk.daemon.simulation.SimulatedRig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The {@code rigdeskd} command line. */
@Command(name = "rigdeskd", mixinStandardHelpOptions = true, versionProvider = Rigdeskd.VersionProvider.class,
        description = "Rigdesk's privileged daemon: GPUs, VFIO passthrough, telemetry, microVM jobs and the "
                + "GitHub runner, served as HTTP+JSON on a unix socket.")
public class Rigdeskd implements Callable<Integer> {

    @Option(names = "--socket", paramLabel = "PATH",
            description = "Unix socket to serve on (default: /run/rigdesk/rigdeskd.sock as root, "
                    + "$XDG_RUNTIME_DIR/rigdesk/rigdeskd.sock otherwise).")
    Path socket;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/var/lib/rigdesk",
            description = "Where the database, logs and job disks live (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--sysfs-root", paramLabel = "DIR",
            description = "sysfs to read and write (default: /sys); any other directory is a fake tree "
                    + "and the daemon runs simulated, with an emulated kernel.")
    Path sysfsRoot;

    @Option(names = "--simulate", paramLabel = "RIG",
            description = "Run on a named demo rig (desktop: an iGPU and two RTX 3060; turing: a four-function "
                    + "Turing card; lab: eight RTX 3090), built under the state directory on first use.")
    String simulate;

    @Option(names = "--accelerator", paramLabel = "VENDOR:DEVICE",
            description = "Also manage this non-display PCI device as a GPU (e.g. 1ac1:089a, a Coral TPU). "
                    + "Repeatable; put it in an @argfile to keep it in config.")
    List<String> accelerators = new ArrayList<>();

    @Option(names = "--nvidia-smi", paramLabel = "PATH",
            description = "nvidia-smi to sample (default: nvidia-smi on PATH; with --simulate, the rig's fake).")
    String nvidiaSmi;

    @Option(names = "--sample-interval", paramLabel = "MS",
            description = "Telemetry sample interval in milliseconds (default: the stored setting, 1000).")
    Integer sampleInterval;

    @Option(names = "--image", paramLabel = "DIR",
            description = "Job VM image: vmlinuz, initrd.img and rootfs.ext4 (default: STATE_DIR/images/default).")
    Path image;

    @Option(names = "--vm-accel", paramLabel = "ACCEL", defaultValue = "auto",
            description = "auto, kvm or tcg (default: ${DEFAULT-VALUE}: KVM when /dev/kvm is usable).")
    String vmAccel;

    @Option(names = "--vmm", paramLabel = "NAME", defaultValue = "auto",
            description = "auto, qemu, cloud-hypervisor or firecracker (default: ${DEFAULT-VALUE}).")
    String vmm;

    @Option(names = "--boot-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "A VM that prints nothing this long fails its job (default: ${DEFAULT-VALUE}).")
    int bootTimeout;

    @Option(names = "--cancel-grace", paramLabel = "SECONDS", defaultValue = "10", hidden = true,
            description = "How long a cancelled VM may take to power down before it is stopped.")
    int cancelGrace;

    @Option(names = "--modprobe", paramLabel = "PATH", defaultValue = "modprobe", hidden = true,
            description = "The modprobe to load vfio-pci with.")
    String modprobe;

    @Option(names = "--modules-dir", paramLabel = "DIR", hidden = true,
            description = "This kernel's modules (default: /lib/modules/RELEASE).")
    Path modulesDir;

    @Option(names = "--debug-pause-after-write", paramLabel = "N", defaultValue = "-1", hidden = true,
            description = "Stops after the N-th kernel write (0: before the first): lets fault tests kill the daemon "
                    + "at any step of a toggle.")
    int pauseAfterWrite;

    @Option(names = "--pci-ids", paramLabel = "FILE", hidden = true,
            description = "pci.ids database to name devices from.")
    Path pciIds;

    @Option(names = "--proc-root", paramLabel = "DIR", hidden = true,
            description = "procfs to scan for processes holding GPUs (default: /proc, or beside a fake sysfs).")
    Path procRoot;

    @Option(names = "--sysfs-write-timeout-ms", paramLabel = "MS", defaultValue = "10000", hidden = true)
    long writeTimeoutMs;

    @Option(names = "--emulated-write-delay-ms", paramLabel = "MS", defaultValue = "0", hidden = true,
            description = "Slows every emulated kernel write (fault tests).")
    long emulatedDelayMs;

    @Option(names = "--job-log-max-mib", paramLabel = "MIB", defaultValue = "1024",
            description = "A job's console log is cut here, with a marker line (default: ${DEFAULT-VALUE}).")
    long jobLogMaxMib;

    @Option(names = "--job-subnet", paramLabel = "CIDR", defaultValue = JobNetworks.DEFAULT_SUBNET,
            description = "Where job VMs' links are numbered, a /30 each (default: ${DEFAULT-VALUE}).")
    String jobSubnet;

    @Option(names = "--dns-upstream", paramLabel = "ADDRESS",
            description = "A resolver job VMs' DNS is forwarded to (repeatable; default: /etc/resolv.conf's).")
    List<String> dnsUpstreams = new ArrayList<>();

    @Option(names = "--dns-allow-search-domains",
            description = "Let job VMs resolve names of the host's own search domains (resolv.conf's search/domain); "
                    + "by default they are refused, as an intranet's split-horizon names.")
    boolean dnsAllowSearchDomains;

    @Option(names = "--vmm-uid-base", paramLabel = "UID", defaultValue = "" + VmmUsers.DEFAULT_BASE, hidden = true,
            description = "The first of the 65536 uids job VMMs run as.")
    int vmmUidBase;

    @Option(names = "--socket-group", paramLabel = "NAME",
            description = "Group that owns the socket (mode 0660); its members can use Rigdesk.")
    String socketGroup;

    @Option(names = "--admin-group", paramLabel = "NAME", defaultValue = "rigdesk",
            description = "Group whose members may change things (GPU modes, jobs, runner, settings); others who "
                    + "can connect may only read. Root and the daemon's own user always may (default: ${DEFAULT-VALUE}).")
    String adminGroup;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
            description = "error, warn, info, debug or trace (default: ${DEFAULT-VALUE}).")
    String logLevel;

    @Option(names = "--runner-poll-ms", paramLabel = "MS", defaultValue = "30000", hidden = true,
            description = "How often the runner pool reconciles with GitHub.")
    long runnerPollMs;

    @Option(names = "--runner-release-check-seconds", paramLabel = "SECONDS", defaultValue = "86400",
            description = "How often the newest actions runner release is looked for (default: daily).")
    long runnerReleaseCheckSeconds;

    @Option(names = "--runner-offline-grace", paramLabel = "SECONDS", defaultValue = "600", hidden = true,
            description = "An idle runner GitHub calls offline this long is replaced.")
    long runnerOfflineGrace;

    @Option(names = "--debug-runner-clock-rate", paramLabel = "N", defaultValue = "1", hidden = true,
            description = "Runs the runner pool's clock N times faster: lets fault tests play a long GitHub outage.")
    int runnerClockRate;

    @Option(names = "--runner-job-grace", paramLabel = "SECONDS", defaultValue = "120", hidden = true,
            description = "A VM whose job GitHub calls completed this long is stopped.")
    long runnerJobGrace;

    @Option(names = "--debug-lending-clock", paramLabel = "LOCAL_TIME", hidden = true,
            description = "Starts the lending schedules' clock at this local date and time (e.g. 2026-12-07T18:59:50): "
                    + "lets tests cross a schedule's edge.")
    java.time.LocalDateTime lendingClockStart;

    @Option(names = "--lending-retry-seconds", paramLabel = "SECONDS", defaultValue = "15", hidden = true,
            description = "How long a refused lend or return waits before it is tried again.")
    long lendingRetrySeconds;

    @Option(names = "--cache-min-free-gib", paramLabel = "GIB", defaultValue = "10",
            description = "Whole caches are evicted, least recently used first, while the state disk has less free "
                    + "(default: ${DEFAULT-VALUE}; fractions allowed).")
    double cacheMinFreeGib;

    @Option(names = "--debug-pause-in-merge", hidden = true,
            description = "Pauses each cache merge before its rename: lets fault tests kill the daemon there.")
    boolean pauseInMerge;

    @Option(names = "--heartbeat-ms", paramLabel = "MS", defaultValue = "15000", hidden = true,
            description = "SSE heartbeat interval.")
    long heartbeatMs;

    private java.time.Clock lendingClock() {
        java.time.Clock system = java.time.Clock.systemUTC();
        if (lendingClockStart == null) {
            return system;
        }
        return java.time.Clock.offset(system, Duration.between(system.instant(),
                lendingClockStart.atZone(java.time.ZoneId.systemDefault()).toInstant()));
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Rigdeskd()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        try {
            Logs.configure(logLevel);
        } catch (IllegalArgumentException e) {
            System.err.println("rigdeskd: " + e.getMessage());
            return 2;
        }
        String invalid = validate();
        if (invalid != null) {
            System.err.println("rigdeskd: " + invalid);
            return 2;
        }
        Path socketPath = socket != null ? socket
                : ProcessIdentity.isRoot() ? SocketLocator.SYSTEM_SOCKET : SocketLocator.userSocket(System.getenv());
        Path sys = sysfsRoot == null ? DaemonConfig.REAL_SYSFS : sysfsRoot.toAbsolutePath();
        if (simulate != null) {
            try {
                sys = SimulatedRig.prepare(simulate, stateDir.toAbsolutePath());
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                System.err.println("rigdeskd: " + e.getMessage());
                return 2;
            }
        }
        Path proc = procRoot != null ? procRoot.toAbsolutePath()
                : sys.equals(DaemonConfig.REAL_SYSFS) ? Path.of("/proc") : sys.resolveSibling("proc");
        List<Path> ids = pciIds != null ? List.of(pciIds) : PciIds.DEFAULT_LOCATIONS;
        String smi = nvidiaSmi != null ? nvidiaSmi
                : simulate != null ? SimulatedRig.fakeNvidiaSmi(sys).toString() : "nvidia-smi";
        Path state = stateDir.toAbsolutePath();
        DaemonConfig config = new DaemonConfig(state,
                new DaemonConfig.Api(socketPath.toAbsolutePath(), socketGroup, adminGroup, Duration.ofMillis(heartbeatMs)),
                new DaemonConfig.Host(sys, proc, ids, modprobe, modulesDir == null ? null : modulesDir.toAbsolutePath()),
                new DaemonConfig.Toggle(Duration.ofMillis(writeTimeoutMs), emulatedDelayMs, pauseAfterWrite),
                new DaemonConfig.Telemetry(smi, sampleInterval == null ? 0 : sampleInterval),
                new DaemonConfig.Vms(image != null ? image.toAbsolutePath() : state.resolve("images/default"),
                        Set.copyOf(accelerators), vmAccel, vmm, Duration.ofSeconds(bootTimeout),
                        Duration.ofSeconds(cancelGrace), jobLogMaxMib << 20, vmmUidBase),
                new DaemonConfig.Network(jobSubnet, upstreams(),
                        dnsAllowSearchDomains ? List.of() : JobNetworks.searchDomains(Path.of("/etc/resolv.conf"))),
                new DaemonConfig.Runner(Duration.ofMillis(runnerPollMs), Duration.ofSeconds(runnerOfflineGrace),
                        Duration.ofSeconds(runnerJobGrace), FastClock.of(runnerClockRate),
                        Duration.ofSeconds(runnerReleaseCheckSeconds)),
                new DaemonConfig.Lending(lendingClock(), Duration.ofSeconds(1), Duration.ofSeconds(lendingRetrySeconds)),
                new DaemonConfig.Caches((long) (cacheMinFreeGib * (1L << 30)), pauseInMerge));
        Daemon daemon = new Daemon(config);
        try {
            daemon.start();
        } catch (StartupException e) {
            Logger.getLogger("rigdeskd").log(Level.FINE, "start failed", e);
            System.err.println("rigdeskd: " + e.getMessage());
            if (e.remedy() != null) {
                System.err.println("rigdeskd: what to do: " + e.remedy());
            }
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    /** The resolvers job VMs' DNS goes to: those given, else the host's. */
    private List<java.net.InetSocketAddress> upstreams() {
        if (dnsUpstreams.isEmpty()) {
            return JobNetworks.resolvers(Path.of("/etc/resolv.conf"));
        }
        // Literals only (validate() checked): getByName looks nothing up.
        return dnsUpstreams.stream().map(address -> new java.net.InetSocketAddress(address, 53)).toList();
    }

    /** Checks the options a user may get wrong; returns the problem, or null. */
    private String validate() {
        if (heartbeatMs < 10 || heartbeatMs > 600_000) {
            return "--heartbeat-ms must be between 10 and 600000";
        }
        if (sampleInterval != null && (sampleInterval < 100 || sampleInterval > 60_000)) {
            return "--sample-interval must be between 100 and 60000 ms";
        }
        if (!List.of("auto", "kvm", "tcg").contains(vmAccel)) {
            return "--vm-accel must be auto, kvm or tcg";
        }
        if (!List.of("auto", "qemu", "cloud-hypervisor", "firecracker").contains(vmm)) {
            return "--vmm must be auto, qemu, cloud-hypervisor or firecracker";
        }
        if (!(cacheMinFreeGib >= 0 && cacheMinFreeGib <= 1 << 20)) {
            return "--cache-min-free-gib must be between 0 and 1048576 (GiB; fractions allowed)";
        }
        if (cancelGrace < 1 || cancelGrace > 600) {
            return "--cancel-grace must be between 1 and 600 seconds";
        }
        if (!adminGroup.matches("[a-z_][a-z0-9_-]{0,31}")) {
            return "--admin-group must be a group name (a-z 0-9 _ -)";
        }
        if (runnerReleaseCheckSeconds < 1 || runnerReleaseCheckSeconds > 7 * 86400) {
            return "--runner-release-check-seconds must be between 1 and 604800 (a week)";
        }
        if (runnerPollMs < 100 || runnerPollMs > 3_600_000 || runnerOfflineGrace < 1 || runnerJobGrace < 1) {
            return "--runner-poll-ms must be between 100 and 3600000, and the runner graces positive";
        }
        for (String address : dnsUpstreams) {
            if (!address.matches("[0-9.]+|[0-9A-Fa-f:]+") || !isLiteral(address)) {
                return "--dns-upstream takes an IP address (e.g. 192.168.1.1), got '" + address + "'";
            }
        }
        try {
            new JobNetworks("ip", "nft", null, jobSubnet, List.of(), List.of(), Path.of("/"), Path.of("/"));
        } catch (IllegalArgumentException e) {
            return "--job-subnet: " + e.getMessage();
        }
        if (jobLogMaxMib < 1 || jobLogMaxMib > 1L << 20) {
            return "--job-log-max-mib must be between 1 and 1048576";
        }
        if (vmmUidBase < 1000 || (long) vmmUidBase + VmmUsers.SIZE > Integer.MAX_VALUE) {
            return "--vmm-uid-base must be between 1000 and " + (Integer.MAX_VALUE - VmmUsers.SIZE);
        }
        if (bootTimeout < 5 || bootTimeout > 3600) {
            return "--boot-timeout must be between 5 and 3600 seconds";
        }
        if (simulate != null && sysfsRoot != null) {
            return "--simulate and --sysfs-root exclude each other: a demo rig brings its own tree";
        }
        if (writeTimeoutMs < 10 || writeTimeoutMs > 600_000) {
            return "--sysfs-write-timeout-ms must be between 10 and 600000";
        }
        for (String id : accelerators) {
            if (!id.matches("^[0-9a-f]{4}:[0-9a-f]{4}$")) {
                return "--accelerator takes vendor:device in lower-case hex (e.g. 1ac1:089a), got '" + id + "'";
            }
        }
        return null;
    }

    private static boolean isLiteral(String address) {
        try {
            java.net.InetAddress.getByName(address); // a literal: no lookup
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    static class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"rigdeskd " + Version.get()};
        }
    }
}
