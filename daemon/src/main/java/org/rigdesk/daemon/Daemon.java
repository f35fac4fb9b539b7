package org.rigdesk.daemon;

import org.rigdesk.daemon.problems.StartupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.rigdesk.daemon.http.AccessPolicy;
import org.rigdesk.daemon.http.ApiServer;
import org.rigdesk.daemon.http.Router;
import org.rigdesk.daemon.cache.CacheRoutes;
import org.rigdesk.daemon.cache.Caches;
import org.rigdesk.daemon.events.EventHub;
import org.rigdesk.daemon.events.EventRoutes;
import org.rigdesk.daemon.gpu.PciIds;
import org.rigdesk.daemon.gpu.SysfsReader;
import org.rigdesk.daemon.host.HostChecks;
import org.rigdesk.daemon.host.InfoService;
import org.rigdesk.daemon.host.InfoRoutes;
import org.rigdesk.daemon.host.ProcessIdentity;
import org.rigdesk.daemon.jobs.GuestSamples;
import org.rigdesk.daemon.jobs.HostBudget;
import org.rigdesk.daemon.jobs.JobEngine;
import org.rigdesk.daemon.jobs.JobRoutes;
import org.rigdesk.daemon.jobs.JobStore;
import org.rigdesk.daemon.jobs.JobsConfig;
import org.rigdesk.daemon.lease.GpuLeases;
import org.rigdesk.daemon.lending.LendingRoutes;
import org.rigdesk.daemon.lending.LendingService;
import org.rigdesk.daemon.network.JobNetworks;
import org.rigdesk.daemon.release.RunnerReleases;
import org.rigdesk.daemon.runner.HostPools;
import org.rigdesk.daemon.runner.RunnerRoutes;
import org.rigdesk.daemon.runner.RunnerService;
import org.rigdesk.daemon.sandbox.Cgroups;
import org.rigdesk.daemon.sandbox.OthersAccess;
import org.rigdesk.daemon.sandbox.SandboxCheck;
import org.rigdesk.daemon.sandbox.VmmSandbox;
import org.rigdesk.daemon.sandbox.VmmUsers;
import org.rigdesk.daemon.settings.SettingsRoutes;
import org.rigdesk.daemon.settings.SettingsService;
import org.rigdesk.daemon.simulation.EmulatedKernel;
import org.rigdesk.daemon.simulation.SysfsTree;
import org.rigdesk.daemon.store.AuditRoutes;
import org.rigdesk.daemon.store.AuditStore;
import org.rigdesk.daemon.store.Database;
import org.rigdesk.daemon.store.Migrations;
import org.rigdesk.daemon.telemetry.MinuteAggregates;
import org.rigdesk.daemon.telemetry.TelemetryConfig;
import org.rigdesk.daemon.telemetry.TelemetryRoutes;
import org.rigdesk.daemon.telemetry.TelemetryService;
import org.rigdesk.daemon.vfio.GpuRoutes;
import org.rigdesk.daemon.vfio.GroupMover;
import org.rigdesk.daemon.vfio.HolderScanner;
import org.rigdesk.daemon.vfio.Kernel;
import org.rigdesk.daemon.vfio.ModeJournal;
import org.rigdesk.daemon.vfio.Preflight;
import org.rigdesk.daemon.vfio.RealKernel;
import org.rigdesk.daemon.vfio.VfioService;
import org.rigdesk.daemon.vm.QemuVmm;
import org.rigdesk.daemon.vm.VmSpec;
import org.rigdesk.daemon.vm.VmmSelector;

/** Wires the daemon's parts together; {@link #start()} and {@link #close()} are its whole life. */
public class Daemon implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Daemon.class.getName());

    private final DaemonConfig config;
    private final EventHub events = new EventHub();
    /** Who holds each GPU's group: the toggle and the job scheduler both go through it (rule 1). */
    private final GpuLeases leases = new GpuLeases();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "scheduler");
        thread.setDaemon(true);
        return thread;
    });
    private Database database;
    private ApiServer server;
    private VfioService vfio;
    /** Set once the sampler starts, after the inventory it samples (read by the toggle's threads). */
    private volatile TelemetryService telemetry;
    private org.rigdesk.daemon.vfio.HealthGate healthGate;
    private JobEngine jobs;
    private JobNetworks jobNetworks;
    private RunnerService runner;
    private RunnerReleases releases;
    private LendingService lending;
    private volatile AuditStore auditStore;

    public Daemon(DaemonConfig config) {
        this.config = config;
    }

    /**
     * Builds and starts every part; a start that fails at any step stops what it had started
     * ({@link #close()}, which skips what does not exist yet) before the failure goes up.
     */
    public void start() throws StartupException {
        try {
            assemble();
        } catch (StartupException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void assemble() throws StartupException {
        Router router = new Router();
        AccessPolicy access = new AccessPolicy(config.api().adminGroup(), Path.of("/etc/group"),
                System.getProperty("user.name"));
        server = new ApiServer(config.api().socket(), config.api().socketGroup(), router, access, (peer, method, path) -> {
            AuditStore store = auditStore;
            if (store != null) {
                store.record(peer.user(), "api.forbidden", method + " " + path, "refused",
                        "not root and not in the " + config.api().adminGroup() + " group");
            }
        });
        server.claim();
        prepareStateDir();
        database = Database.open(config.database(), Migrations.all());
        Path modulesDir = config.host().modulesDir() != null ? config.host().modulesDir()
                : config.simulated() ? SysfsTree.modulesDir(config.host().sysfsRoot())
                : Path.of("/lib/modules", System.getProperty("os.version"));
        HostChecks hostChecks = new HostChecks(config.host().sysfsRoot(), Path.of("/dev/kvm"), modulesDir,
                System.getenv("PATH")).withImage(config.vms().image(), this::imageNeeded);
        InfoService info = new InfoService(new InfoService.Where(Version.get(), config.stateDir(), config.api().socket(),
                config.host().sysfsRoot(), config.simulated()), hostChecks);
        AuditStore audit = new AuditStore(database);
        auditStore = audit;
        SettingsService settings;
        try {
            settings = new SettingsService(database);
        } catch (SQLException e) {
            throw new StartupException("cannot read settings: " + e.getMessage(), "check the state database", e);
        }
        scheduler.scheduleWithFixedDelay(() -> pruneAudit(audit, settings), 0, 1, TimeUnit.HOURS);
        // A shorter retention applies at once; any other change of settings leaves the audit log alone.
        java.util.concurrent.atomic.AtomicInteger retention =
                new java.util.concurrent.atomic.AtomicInteger(settings.current().auditRetentionDays());
        settings.onChange(changed -> {
            if (retention.getAndSet(changed.auditRetentionDays()) > changed.auditRetentionDays()) {
                pruneAudit(audit, settings);
            }
        });
        InfoRoutes.register(router, info);
        EventRoutes.register(router, events, config.api().heartbeat());
        SettingsRoutes.register(router, settings, audit, events);
        AuditRoutes.register(router, audit);
        vfio = gpus(audit, modulesDir);
        telemetry = telemetry(settings);
        TelemetryRoutes.register(router, telemetry, vfio::list);
        TelemetryService sampler = telemetry;
        jobs = jobs(audit, settings, guest -> GuestSamples.forward(guest, sampler), hostChecks);
        JobRoutes.register(router, jobs);
        caches(audit).ifPresent(caches -> {
            jobs.useCaches(caches);
            CacheRoutes.register(router, caches);
        });
        try {
            lending = new LendingService(database, vfio, jobs, audit, lendingTimings(), java.time.ZoneId.systemDefault());
        } catch (SQLException e) {
            throw new StartupException("cannot read the GPUs' lending policies: " + e.getMessage(),
                    "check the state database", e);
        }
        vfio.decorateWith(lending::decorate);
        GpuRoutes.register(router, vfio, lending::setMode);
        LendingRoutes.register(router, lending, vfio);
        try {
            okhttp3.OkHttpClient http = new okhttp3.OkHttpClient();
            releases = new RunnerReleases(config.stateDir(), http, audit, java.time.Clock.systemUTC());
            HostPools pools = new HostPools(jobs, vfio::list, bdf -> sampler.latest(bdf)
                    .map(org.rigdesk.api.wire.GpuSample::memoryTotalMiB).map(Double::intValue).orElse(null),
                    audit, events, runnerTimings(), lending::wake, releases);
            runner = new RunnerService(database, config.stateDir(), audit, http, "rigdeskd/" + Version.get(), pools,
                    releases);
            RunnerRoutes.register(router, runner);
            RunnerService registered = runner;
            lending.borrowers(registered::borrower);
        } catch (SQLException e) {
            throw new StartupException("cannot read the runner registration: " + e.getMessage(),
                    "check the state database", e);
        } catch (java.io.IOException e) {
            throw new StartupException("cannot keep actions runner releases: " + e.getMessage(),
                    "check the state directory", e);
        }
        server.start();
        runner.start();
        releases.start(config.runner().releaseCheck());
        lending.start();
        LOG.info(() -> "rigdeskd " + Version.get() + " ready (state " + config.stateDir() + ", sysfs "
                + config.host().sysfsRoot() + (config.simulated() ? ", simulated" : "") + ")");
    }

    /** The audit log kept for the owner's {@code auditRetentionDays}. */
    private static void pruneAudit(AuditStore audit, SettingsService settings) {
        try {
            int gone = audit.prune(settings.current().auditRetentionDays(), java.time.Instant.now());
            if (gone > 0) {
                LOG.info("pruned " + gone + " audit entries older than " + settings.current().auditRetentionDays()
                        + " days");
            }
        } catch (SQLException e) {
            LOG.warning("cannot prune the audit log: " + e.getMessage());
        }
    }

    private VfioService gpus(AuditStore audit, Path modulesDir) {
        SysfsReader sysfs = new SysfsReader(config.host().sysfsRoot());
        Kernel kernel;
        if (config.simulated()) {
            EmulatedKernel emulated = new EmulatedKernel(config.host().sysfsRoot());
            emulated.setWriteDelayMillis(config.toggle().emulatedWriteDelayMillis());
            kernel = emulated;
        } else {
            kernel = new RealKernel(config.host().modprobe());
        }
        if (config.toggle().pauseAfterWrite() >= 0) {
            kernel = new org.rigdesk.daemon.vfio.PausingKernel(kernel, config.toggle().pauseAfterWrite());
        }
        PciIds names = PciIds.load(config.host().pciIds());
        Preflight preflight = new Preflight(sysfs, new HolderScanner(config.host().procRoot(), sysfs), names, modulesDir);
        GroupMover mover = new GroupMover(kernel, sysfs, config.toggle().sysfsWriteTimeout());
        healthGate = new org.rigdesk.daemon.vfio.HealthGate(sysfs, mover, leases, audit);
        VfioService service = new VfioService(sysfs, names, preflight, mover, new ModeJournal(database), audit, events,
                config.vms().accelerators(), leases, new VfioService.DeviceUsers() {
                    // The sampler starts after the inventory (it samples what this lists): until then there is nothing to pause.
                    @Override
                    public void pause() {
                        TelemetryService sampler = telemetry;
                        if (sampler != null) {
                            sampler.pause();
                        }
                    }

                    @Override
                    public void resume() {
                        TelemetryService sampler = telemetry;
                        if (sampler != null) {
                            sampler.resume();
                        }
                    }
                }, bdf -> {
                    TelemetryService sampler = telemetry;
                    return sampler == null ? null
                            : sampler.latest(bdf).map(org.rigdesk.api.wire.GpuSample::name).orElse(null);
                });
        service.gateWith(healthGate);
        service.reconcile();
        // Picks up changes made behind our back (another tool, a hot-plug) for readers of the inventory.
        scheduler.scheduleWithFixedDelay(service::refresh, 5, 5, TimeUnit.SECONDS);
        return service;
    }

    private TelemetryService telemetry(SettingsService settings) {
        if (config.telemetry().sampleIntervalMs() > 0 && config.telemetry().sampleIntervalMs() != settings.current().sampleIntervalMs()) {
            try {
                settings.update(new org.rigdesk.api.wire.Settings(config.telemetry().sampleIntervalMs(), null, null, null));
            } catch (SQLException e) {
                LOG.warning("cannot store the sample interval: " + e.getMessage());
            }
        }
        TelemetryConfig telemetryConfig = new TelemetryConfig(config.telemetry().nvidiaSmi(),
                TelemetryService.findOnPath("rocm-smi", System.getenv("PATH")), settings.current().sampleIntervalMs(),
                java.time.Duration.ofSeconds(5), () -> settings.current().historyDays());
        TelemetryService service = new TelemetryService(telemetryConfig, vfio::list, events,
                new MinuteAggregates(database), scheduler, java.time.Clock.systemUTC());
        settings.onChange(changed -> service.setInterval(changed.sampleIntervalMs()));
        service.start();
        return service;
    }

    /** Whether the job image is needed now: a runner is registered, or a job was asked for. */
    private boolean imageNeeded() {
        RunnerService registered = runner;
        JobEngine engine = jobs;
        return registered != null && registered.status().registered() || engine != null && engine.asked();
    }

    private JobEngine jobs(AuditStore audit, SettingsService settings,
                           java.util.function.Consumer<org.rigdesk.daemon.jobs.JobRun.GuestSample> guestSamples,
                           HostChecks hostChecks) throws StartupException {
        HostChecks tools = tools();
        java.util.Map<String, org.rigdesk.daemon.vm.Vmm> vmms = new java.util.HashMap<>();
        tools.onPath("qemu-system-x86_64").ifPresent(qemu -> vmms.put("qemu",
                new QemuVmm(qemu.toString(), tools.onPath("qemu-img").map(Path::toString).orElse("qemu-img"))));
        tools.onPath("cloud-hypervisor").ifPresent(ch -> vmms.put("cloud-hypervisor",
                new org.rigdesk.daemon.vm.CloudHypervisorVmm(ch.toString())));
        tools.onPath("firecracker").ifPresent(fc -> vmms.put("firecracker",
                new org.rigdesk.daemon.vm.FirecrackerVmm(fc.toString(),
                        tools.onPath("jailer").map(Path::toString).orElse(null))));
        VmmSelector selector;
        try {
            selector = new VmmSelector(vmms, config.vms().vmm());
        } catch (IllegalArgumentException e) {
            throw new StartupException("no usable VMM: " + e.getMessage(),
                    "install QEMU (apt install qemu-system-x86 qemu-utils) or cloud-hypervisor / firecracker");
        }
        boolean kvm = java.nio.file.Files.isReadable(Path.of("/dev/kvm")) && java.nio.file.Files.isWritable(Path.of("/dev/kvm"));
        VmSpec.Accel accel = switch (config.vms().vmAccel()) {
            case "kvm" -> VmSpec.Accel.KVM;
            case "tcg" -> VmSpec.Accel.TCG;
            default -> kvm ? VmSpec.Accel.KVM : VmSpec.Accel.TCG;
        };
        VmmSandbox sandbox = sandbox(tools);
        Path jobsDir = config.stateDir().resolve("jobs");
        if (sandbox.confines()) {
            // Every job would fail with nothing but a VMM's exit status: say why now, once.
            java.util.Optional<String> closed = OthersAccess.problem(config.stateDir());
            if (closed.isPresent()) {
                throw new StartupException("the job VMMs' users cannot reach their files under " + config.stateDir()
                        + ": " + closed.get(), SandboxCheck.remedy(jobsDir));
            }
        }
        hostChecks.withCheck(() -> SandboxCheck.of(sandbox, jobsDir));
        JobsConfig jobsConfig = new JobsConfig(jobsDir, vmImage(sandbox), accel,
                // vCPUs are host threads: job VMs may have twice the cores between them.
                config.vms().bootTimeout(), config.vms().cancelGrace(), 2 * Runtime.getRuntime().availableProcessors(),
                HostBudget.memoryMiB(), config.simulated(), config.vms().jobLogMaxBytes());
        JobNetworks networks = new JobNetworks(tools.onPath("ip").map(Path::toString).orElse("ip"),
                tools.onPath("nft").map(Path::toString).orElse("nft"),
                tools.onPath("iptables").map(Path::toString).orElse(null), config.network().jobSubnet(), config.network().dnsUpstreams(),
                config.network().dnsHiddenDomains(), config.stateDir(), Path.of("/proc/sys"));
        networks.start(sandbox.confines(), settings.current().networkAllow());
        jobNetworks = networks;
        settings.onChange(changed -> {
            try {
                networks.applyExceptions(changed.networkAllow());
            } catch (IOException e) {
                LOG.warning("cannot apply the network exceptions: " + e.getMessage());
            }
        });
        hostChecks.withCheck(networks::check);
        JobEngine engine = new JobEngine(jobsConfig, new JobStore(database), vfio, selector, events, audit,
                settings::current, leases, guestSamples, sandbox, networks);
        engine.gateWith(healthGate);
        try {
            engine.recover();
        } catch (java.io.IOException e) {
            throw new StartupException("cannot recover jobs: " + e.getMessage(), "check the state directory", e);
        }
        return engine;
    }

    /** The host's tools on PATH (VMMs, qemu-img, mke2fs, ip, nft, …). */
    private HostChecks tools() {
        return new HostChecks(config.host().sysfsRoot(), Path.of("/dev/kvm"), Path.of("/"), System.getenv("PATH"));
    }

    /** Persistent caches, where qemu-img and mke2fs are there to make them. */
    private java.util.Optional<Caches> caches(AuditStore audit) throws StartupException {
        HostChecks tools = tools();
        var qemuImg = tools.onPath("qemu-img");
        var mke2fs = tools.onPath("mke2fs");
        if (qemuImg.isEmpty() || mke2fs.isEmpty()) {
            LOG.warning("no qemu-img or mke2fs: jobs cannot have a cache (install qemu-utils and e2fsprogs)");
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(new Caches(config.stateDir().resolve("caches"), database, audit,
                    new Caches.Config(qemuImg.get().toString(), mke2fs.get().toString(), config.caches().minFreeBytes(),
                            config.caches().pauseInMerge()), java.time.Clock.systemUTC()));
        } catch (IOException e) {
            throw new StartupException("cannot open the caches: " + e.getMessage(), "check the state directory", e);
        }
    }

    public JobEngine jobs() {
        return jobs;
    }

    /** Each job's VMM as a uid of its own in a cgroup of its own, when the daemon is root. */
    private VmmSandbox sandbox(HostChecks tools) {
        boolean root = ProcessIdentity.isRoot();
        String selfCgroup;
        try {
            selfCgroup = Files.readString(Path.of("/proc/self/cgroup"));
        } catch (IOException e) {
            selfCgroup = "";
        }
        VmmSandbox sandbox = new VmmSandbox(root, tools.onPath("setpriv").map(Path::toString).orElse(null),
                new VmmUsers(config.vms().vmmUidBase()), Cgroups.detect(Path.of("/sys/fs/cgroup"), selfCgroup, root),
                config.host().sysfsRoot(), Path.of("/dev"));
        LOG.info(sandbox.describe());
        return sandbox;
    }

    /** The VM image as VMMs running as other uids can read it: staged beside the state when it is closed to them. */
    private Path vmImage(VmmSandbox sandbox) throws StartupException {
        if (!sandbox.confines()) {
            return config.vms().image();
        }
        try {
            // Staged once per machine and image directory, in the temp directory rather than the state
            // (a small state disk must not fill with a copy of the image; under the unit /tmp is its own).
            Path image = OthersAccess.readableImage(config.vms().image(), JobsConfig.IMAGE_FILES,
                    Path.of(System.getProperty("java.io.tmpdir"), "rigdesk-image-"
                            + Integer.toHexString(config.vms().image().toAbsolutePath().normalize().toString().hashCode())));
            if (!image.equals(config.vms().image())) {
                LOG.info("the VM image " + config.vms().image() + " is closed to other users: job VMMs use a copy in " + image);
            }
            return image;
        } catch (IOException e) {
            throw new StartupException("cannot stage the VM image for the VMMs' users: " + e.getMessage(),
                    "make " + config.vms().image() + " readable by others (chmod o+rx on the way there)", e);
        }
    }

    public TelemetryService telemetry() {
        return telemetry;
    }

    public VfioService vfio() {
        return vfio;
    }

    public EventHub events() {
        return events;
    }

    public Database database() {
        return database;
    }

    /** The pool's timings, from the command line's runner group. */
    private HostPools.Timings runnerTimings() {
        DaemonConfig.Runner runner = config.runner();
        return new HostPools.Timings(runner.poll(), runner.offlineGrace(), runner.jobGrace(), runner.clock(),
                runner.releaseCheck());
    }

    private LendingService.Timings lendingTimings() {
        DaemonConfig.Lending lending = config.lending();
        return new LendingService.Timings(lending.clock(), lending.tick(), lending.retry());
    }

    private void prepareStateDir() throws StartupException {
        try {
            if (!Files.isDirectory(config.stateDir())) {
                Files.createDirectories(config.stateDir(),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
            }
        } catch (IOException e) {
            throw new StartupException("cannot create the state directory " + config.stateDir() + ": " + e.getMessage(),
                    "run as root, or pass --state-dir with a directory you can write", e);
        }
        try {
            // Others may pass through to their job's files (each job's VMM is a uid of its own), not list.
            Files.setPosixFilePermissions(config.stateDir(), PosixFilePermissions.fromString("rwx--x--x"));
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warning("cannot open " + config.stateDir() + " to the VMMs' users: " + e.getMessage());
        }
        if (!Files.isWritable(config.stateDir())) {
            throw new StartupException("the state directory " + config.stateDir() + " is not writable",
                    "run as root, or pass --state-dir with a directory you can write");
        }
    }

    @Override
    public void close() {
        if (lending != null) {
            lending.close();
        }
        if (runner != null) {
            runner.close();
        }
        if (releases != null) {
            releases.close();
        }
        if (jobs != null) {
            jobs.close();
        }
        if (jobNetworks != null) {
            jobNetworks.close();
        }
        if (telemetry != null) {
            telemetry.close();
        }
        scheduler.shutdownNow();
        events.close();
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
        LOG.info("stopped");
    }
}
