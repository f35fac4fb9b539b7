package org.rigdesk.daemon.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobNetwork;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Json;
import org.rigdesk.api.wire.Settings;
import org.rigdesk.daemon.host.FileTrees;
import org.rigdesk.daemon.gpu.Bdf;
import org.rigdesk.daemon.host.DiskUsage;
import org.rigdesk.daemon.cache.Caches;
import org.rigdesk.daemon.network.EgressPolicy;
import org.rigdesk.daemon.network.JobNetworks;
import org.rigdesk.daemon.sandbox.VmmSandbox;
import org.rigdesk.daemon.vm.ConsolePump;
import org.rigdesk.daemon.vm.VmInstance;
import org.rigdesk.daemon.vm.VmSpec;
import org.rigdesk.daemon.vm.Vmm;
import org.rigdesk.daemon.vm.VmmLaunch;

/**
 * One job in one VM, from its directory's creation to its removal: root disk overlay and config
 * disk, boot, the guest's control events, timeouts and cancel, and the clean-up that always runs.
 */
public class JobRun implements Runnable {

    private static final Logger LOG = Logger.getLogger(JobRun.class.getName());
    private static final Duration POLL = Duration.ofMillis(50);

    /** An in-VM telemetry sample from the guest agent. */
    public record GuestSample(long jobId, List<String> gpus, JsonNode sample) {
    }

    private final JobValidator.Valid request;
    /** Set for a runner slot's VM: its config disk's files replace the script. */
    private final RunnerVmRequest runner;
    private final JobsConfig config;
    private final Vmm vmm;
    private final VmmSandbox sandbox;
    private final JobNetworks networks;
    private final Consumer<JobNetwork> networkLogs;
    private final List<Bdf> vfioFunctions;
    private final Consumer<Job> updates;
    private final Consumer<GuestSample> samples;
    private final Path dir;
    /** The VMM's own directory: its disks, sockets, pid file and console FIFO; owned by its uid. */
    private final Path vmDir;
    private volatile Job job;
    private volatile boolean cancelRequested;
    private volatile boolean abandoned;
    private volatile VmInstance vm;
    /** Bytes the daemon itself put at the top of the log: not a sign of a booting guest. */
    private long preamble;
    /** What the job takes of the guest's events; set when the VM is watched. */
    private volatile EventGate gate;
    /** What the guest saw of its GPUs, when it reported anything (read by the health gate after the job). */
    private volatile org.rigdesk.daemon.gpu.GuestGpuReport gpuReport;

    /**
     * {@code networks}: where the VM's network comes from, or null for a VM without one;
     * {@code networkLogs} keeps its egress log when the VM is gone.
     */
    /** Where the job's cache lives, when it asked for one. */
    private final Caches caches;
    private volatile Caches.Use cacheUse;
    private volatile Caches.Layer cacheLayer;
    /** An organisation's runner VM: attaches its job's repository's cache once the job has started. */
    private Thread lateAttach;
    private volatile String lateCacheLine;
    private volatile VmmSandbox.Confinement confined;
    /** What the job may take of the host's disk. */
    private final JobDisk disk;
    /** What the job's directory held when its VM started: its own growth is measured from here. */
    private volatile long startBytes;

    JobRun(Job job, JobValidator.Valid request, RunnerVmRequest runner, JobsConfig config, Vmm vmm,
           VmmSandbox sandbox, List<Bdf> vfioFunctions, Consumer<Job> updates, Consumer<GuestSample> samples,
           JobNetworks networks, Consumer<JobNetwork> networkLogs, Caches caches, Supplier<Settings> settings) {
        this.caches = caches;
        this.networks = networks;
        this.networkLogs = networkLogs;
        this.job = job;
        this.request = request;
        this.runner = runner;
        this.config = config;
        this.vmm = vmm;
        this.sandbox = sandbox;
        this.vfioFunctions = vfioFunctions;
        this.updates = updates;
        this.samples = samples;
        this.dir = config.jobsDir().resolve(Long.toString(job.id()));
        this.vmDir = dir.resolve("vm");
        this.disk = new JobDisk(dir, config.jobsDir().getParent(), settings, () -> startBytes);
    }

    /** The GPU problems the guest reported before it exited (Xids, memory): none when it reported none. */
    List<org.rigdesk.api.wire.Gpu.Blocker> guestGpuProblems() {
        org.rigdesk.daemon.gpu.GuestGpuReport report = gpuReport;
        return report == null ? List.of() : report.problems();
    }

    public Job job() {
        return job;
    }

    static Path logFile(Path jobsDir, long id) {
        return jobsDir.resolve(Long.toString(id)).resolve("console.log");
    }

    void cancel() {
        cancelRequested = true;
    }

    /** Stops the VM without the grace: for a runner VM that has no job to lose. */
    void cancelNow() {
        cancelRequested = true;
        VmInstance current = vm;
        if (current != null) {
            current.kill();
        }
    }

    /** The daemon is stopping: the VM goes now, without the usual bookkeeping. */
    void abandon() {
        abandoned = true;
        VmInstance current = vm;
        if (current != null) {
            current.kill();
        }
    }

    @Override
    public void run() {
        JobState state = JobState.FAILED;
        Integer exitCode = null;
        String error = null;
        VmmSandbox.Confinement confinement = null;
        ConsolePump console = null;
        JobNetworks.Lease network = null;
        try {
            if (job.is(JobState.QUEUED)) {
                update(Jobs.withState(job, JobState.BOOTING)); // the engine marks the jobs it schedules itself
            }
            if (caches != null && request.cache() != null) {
                cacheUse = caches.open(request.cache(), job.id(), request.cacheWrite());
            }
            confinement = sandbox.confine(vmName(dir), job.cpus(), job.memoryMiB(),
                    config.accel() == VmSpec.Accel.TCG, vfioFunctions,
                    cacheUse == null ? List.of() : List.of(cacheUse.gid()));
            if (networks != null) {
                network = networks.open(job.id(), confinement.uid(), runner != null ? runner.egress()
                        : EgressPolicy.OPEN, vmm.opensTapByName() && confinement.launch().confined());
            }
            confined = confinement;
            prepare(confinement, network);
            console = ConsolePump.start(vmDir.resolve("console.fifo"), dir.resolve("console.log"),
                    config.consoleMaxBytes(), vmName(dir));
            confinement.own(vmDir.resolve("console.fifo"));
            startBytes = DiskUsage.allocated(dir).orElse(0);
            vm = vmm.boot(spec(confinement.launch(), network));
            Files.writeString(dir.resolve("job.pid"), vm.pid() + "\n");
            Outcome outcome = watch();
            state = outcome.state;
            exitCode = outcome.exitCode;
            error = outcome.error;
        } catch (IOException e) {
            error = "the VM could not start: " + e.getMessage();
            LOG.warning("job " + job.id() + ": " + error);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (RuntimeException | Error e) {
            // Whatever the thread meets, the job ends with the reason and its resources are freed:
            // a job left "running" would hold its CPUs, memory and GPUs until the daemon restarts.
            error = "internal error: " + e;
            LOG.severe("job " + job.id() + " failed inside rigdeskd: " + e);
        } finally {
            try {
                VmInstance current = vm;
                if (current != null && current.isAlive()) {
                    current.kill();
                }
                if (console != null) {
                    // A VMM that ran closed the FIFO as it ended; one that never started leaves nothing to wait for.
                    console.finish(current == null ? Duration.ofMillis(1) : Duration.ofSeconds(5));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                awaitLateAttach();
                if (confinement != null) {
                    // The job's files are root's again, and nothing of the VMM's runs, before root reads a layer.
                    confinement.takeBack();
                }
                closeCache(state);
                // The disks (the config disk holds the job's secrets) go as soon as the VM has.
                cleanUp();
                try {
                    if (network != null) {
                        networkLogs.accept(network.finish());
                    }
                } finally {
                    if (confinement != null) {
                        confinement.close();
                    }
                }
            }
        }
        String refused = gate == null ? null : gate.summary().orElse(null);
        if (refused != null) {
            LOG.warning("job " + job.id() + ": ignored from the guest: " + refused);
            note("rigdesk: ignored from the guest's control channel: " + refused);
            if (error != null) {
                error += " (ignored from the guest: " + refused + ")";
            }
        }
        if (!abandoned) {
            long logBytes = JobHistory.size(logFile(config.jobsDir(), job.id()));
            // Straight to the end, past the transition check: the end must be reported whatever came before.
            job = Jobs.finished(job, state, exitCode, error, logBytes);
            updates.accept(job);
        }
    }

    private boolean lateCache() {
        return runner != null && runner.lateCache() != null && caches != null;
    }

    /**
     * The cache of the repository whose job this organisation's runner VM took, attached while the
     * VM runs (a raw copy: the VMM was started without that cache's group), once GitHub confirms
     * the run; the job's start hook mounts it. Otherwise the job runs without one, and says why.
     */
    private void attachLateCache(Job took) {
        String name = null;
        long before = startBytes;
        long copied = 0;
        // The copy is the host's making, not the job's: the quota is not measured while it grows,
        // and counts from after it.
        startBytes = JobDisk.UNMEASURED;
        try {
            name = runner.lateCache().cacheFor(took);
            cacheUse = caches.open(name, job.id(), true);
            Caches.Layer layer = caches.layer(cacheUse, vmDir.resolve("cache.img"), false);
            copied = layer.startBytes();
            cacheLayer = layer;
            confined.own(layer.path());
            vm.attachDisk(layer.path(), "rigdesk-cache");
            lateCacheLine = "rigdesk: cache " + name + " (" + took.repository() + ") was attached when the job started";
        } catch (IOException | RuntimeException e) {
            lateCacheLine = "rigdesk: " + (name == null ? "no cache" : "cache " + name + " could not be attached")
                    + " for this job: " + e.getMessage();
            LOG.warning("job " + job.id() + ": " + lateCacheLine);
        } finally {
            startBytes = before + copied;
        }
    }

    /** The late attach, if one began, is over before the VM's files are taken back and its cache closed. */
    private void awaitLateAttach() {
        Thread attach = lateAttach;
        if (attach == null) {
            return;
        }
        try {
            attach.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (lateCacheLine != null) {
            note(lateCacheLine);
        }
    }

    /** The job's layer becomes the cache when it asked to write and succeeded; otherwise it is thrown away. */
    private void closeCache(JobState state) {
        if (cacheUse == null) {
            return;
        }
        boolean commit = cacheUse.write() && state == JobState.SUCCEEDED && !cancelRequested;
        String reason = !cacheUse.write() ? "the job may read the cache, not change it"
                : commit ? "a trusted job that succeeded" : "the job did not succeed";
        if (commit && runner != null && runner.verdict() != null) {
            // A runner job is trusted by what GitHub says of its run, never by what its VM said.
            String refusal = runner.verdict().refusal(job);
            commit = refusal == null;
            reason = commit ? "GitHub says it ran a trusted event of the repository itself" : refusal;
        }
        note(caches.close(cacheUse, cacheLayer, commit, reason));
    }

    /** The name a job's VM goes by (its cgroup, its console's reader, its VMM's name and jail id): from its directory. */
    static String vmName(Path jobDir) {
        return "job-" + jobDir.getFileName();
    }

    /** A line of the daemon's own at the end of the job's log (after the guest's output has all arrived). */
    private void note(String line) {
        try {
            Files.writeString(dir.resolve("console.log"), line + "\n", java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warning("cannot add to the log of job " + job.id() + ": " + e.getMessage());
        }
    }

    /**
     * The job's directory is root's, open to pass through (rwx--x--x) but not to list: the log stays
     * root's, the control channel and the {@code vm/} directory go to the VMM's uid.
     */
    private void prepare(VmmSandbox.Confinement confinement, JobNetworks.Lease network) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Path log = dir.resolve("console.log");
        Files.deleteIfExists(log);
        Files.createFile(log, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        if (job.gpusSimulated()) {
            Files.writeString(log, "rigdesk: GPUs " + String.join(", ", job.gpus()) + " are simulated (demo rig): "
                    + "the VM runs without them.\n");
        }
        preamble = Files.size(log);
        Files.deleteIfExists(dir.resolve("control.log"));
        Files.createFile(dir.resolve("control.log"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        confinement.own(dir.resolve("control.log"));
        FileTrees.delete(vmDir);
        Files.createDirectory(vmDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        confinement.own(vmDir);
        vmm.createRootDisk(config.rootDisk(), vmDir.resolve("root.qcow2"));
        confinement.own(vmDir.resolve("root.qcow2"));
        if (cacheUse != null) {
            cacheLayer = caches.layer(cacheUse, vmDir.resolve("cache.img"), vmm.takesQcow2Layers());
            confinement.own(cacheLayer.path());
        }
        Map<String, Object> spec = new java.util.LinkedHashMap<>();
        spec.put("id", job.id());
        spec.put("name", job.name());
        spec.put("gpus", job.gpus());
        spec.put("gpusSimulated", job.gpusSimulated());
        ConfigDisk disk = new ConfigDisk().add("job.json", Json.mapper().writeValueAsString(spec));
        if (network != null) {
            disk.add("network", network.guestConfig());
        }
        if (runner != null) {
            runner.files().forEach(disk::add);
        } else {
            disk.add("script", request.script())
                    .add("env", ConfigDisk.exports(request.env()))
                    .add("secrets", ConfigDisk.exports(request.secrets()));
            if (request.tty()) {
                disk.add("tty", "1"); // the agent runs the script on the serial port as a terminal
            }
        }
        disk.write(vmDir.resolve("config.img"));
        confinement.own(vmDir.resolve("config.img"));
    }

    private VmSpec spec(VmmLaunch launch, JobNetworks.Lease network) {
        if (network != null && network.inVmmNamespace()) {
            launch = launch.withTapPlug(network::plugInto);
        }
        return new VmSpec(vmName(dir), vmDir, config.kernel(), config.initramfs(), vmDir.resolve("root.qcow2"),
                vmDir.resolve("config.img"), job.cpus(), job.memoryMiB(), vfioFunctions, config.accel(),
                vmDir.resolve("console.fifo"), dir.resolve("control.log"), network == null ? null : network.tap(),
                dir.resolve("vmm.log"), launch, cacheLayer == null ? null : cacheLayer.path(),
                runner == null ? null : runner.runnerDisk(), lateCache());
    }

    private record Outcome(JobState state, Integer exitCode, String error) {
    }

    /** What the guest has said so far on the control channel. */
    private static final class Heard {
        boolean alive;
        Integer exit;
        String result;
    }

    /** Follows the control channel until the VM ends, stopping it when the {@link StopPolicy} says so. */
    private Outcome watch() throws IOException, InterruptedException {
        StopPolicy policy = new StopPolicy(config, job.timeoutSeconds(), runner != null, System.nanoTime());
        EventGate gate = new EventGate(runner != null, job.gpus().size(), System.nanoTime());
        this.gate = gate;
        Heard heard = new Heard();
        StopPolicy.Stop stop = null;
        int vmmStatus = 0;
        try (ControlLines control = new ControlLines(dir.resolve("control.log"))) {
            while (true) {
                control.read(new ControlLines.Sink() {
                    @Override
                    public boolean look() {
                        heard.alive = true;
                        return gate.allowLine(System.nanoTime());
                    }

                    @Override
                    public void line(String line) {
                        GuestEvent.parse(line).filter(gate::admit).ifPresent(event -> apply(event, heard, policy));
                    }
                });
                heard.alive = heard.alive || Files.size(dir.resolve("console.log")) > preamble;
                OptionalInt ended = vm.waitFor(POLL);
                if (ended.isPresent()) {
                    vmmStatus = ended.getAsInt();
                    // Only the exit code and the guest's GPU report still count once the VM is gone.
                    // Every event still passes the gate in order (a 'started' read here counts for the
                    // 'exit' after it), but only those two are taken.
                    ControlLines.Sink last = new ControlLines.Sink() {
                        @Override
                        public boolean look() {
                            return true;
                        }

                        @Override
                        public void line(String line) {
                            GuestEvent.parse(line).filter(gate::admit).ifPresent(event -> {
                                if (event instanceof GuestEvent.Exit exit) {
                                    heard.exit = exit.code();
                                } else if (event instanceof GuestEvent.GpuHealth health) {
                                    gpuReport = health.report();
                                }
                            });
                        }
                    };
                    while (control.read(last)) {
                        // each read makes at most MAX_TEXT_LINES strings, none kept
                    }
                    break;
                }
                stop = policy.check(System.nanoTime(), cancelRequested, heard.alive, () -> disk.overLimit(System.nanoTime()))
                        .orElse(null);
                if (stop != null) {
                    shutDown();
                    break;
                }
            }
        } catch (ControlLines.Overflow overflow) {
            // What the guest did is the job's failure; its VM goes at once (nothing it says is believed now).
            vm.kill();
            return new Outcome(JobState.FAILED, heard.exit, overflow.getMessage());
        }
        if (stop != null) {
            return new Outcome(stop.state(), heard.exit, stop.reason());
        }
        if (runner != null) {
            return runnerOutcome(heard.result, heard.exit);
        }
        Integer exit = heard.exit;
        if (exit == null) {
            return new Outcome(JobState.FAILED, null, "the VM stopped without reporting the job's exit ("
                    + (vmmStatus == 0 ? "crash or power-off inside the guest)" : vmmDeath(vmmStatus) + ")"));
        }
        return new Outcome(exit == 0 ? JobState.SUCCEEDED : JobState.FAILED, exit, exit == 0 ? null : "exit code " + exit);
    }

    /** One guest event the {@link EventGate} let through: the job's state, its exit, its telemetry, a runner's job. */
    private void apply(GuestEvent event, Heard heard, StopPolicy policy) {
        if (event instanceof GuestEvent.Started) {
            update(Jobs.withState(job, JobState.RUNNING));
        } else if (event instanceof GuestEvent.Exit exit) {
            heard.exit = exit.code();
        } else if (event instanceof GuestEvent.Sample sample) {
            samples.accept(new GuestSample(job.id(), job.gpus(), sample.fields()));
        } else if (event instanceof GuestEvent.RunnerListening) {
            if (runner != null && job.is(JobState.BOOTING)) {
                update(Jobs.withState(job, JobState.READY));
            }
        } else if (event instanceof GuestEvent.JobStarted started) {
            if (runner != null && job.jobName() == null) {
                update(Jobs.tookGithubJob(job, started.repository(), started.workflow(), started.job(),
                        started.runId(), started.runAttempt()));
                policy.jobStarted(System.nanoTime());
                if (lateCache()) {
                    Job took = job;
                    // Off the watch: GitHub is asked first, and a raw copy of the cache takes its time.
                    lateAttach = new Thread(() -> attachLateCache(took), "cache-" + vmName(dir));
                    lateAttach.setDaemon(true);
                    lateAttach.start();
                }
            }
        } else if (event instanceof GuestEvent.JobResult result) {
            heard.result = result.result();
        } else if (event instanceof GuestEvent.GpuHealth health) {
            gpuReport = health.report();
        }
    }

    /** A VMM that ends with a status of its own died rather than the guest powering off. */
    private String vmmDeath(int status) {
        String vmm = job.vmm() == null ? "the VMM" : job.vmm();
        return status > 128 && status < 160 ? vmm + " was killed by signal " + (status - 128)
                : vmm + " exited with status " + status;
    }

    /** A runner VM's end: the runner's own verdict on its job, or why it ended without one. */
    private Outcome runnerOutcome(String result, Integer exit) {
        if (job.jobName() == null) {
            return new Outcome(JobState.FAILED, exit, "the runner ended before it took a job" + (exit == null
                    ? " (the VM stopped without reporting)" : " (exit code " + exit + "; see the slot's console log)"));
        }
        if (result == null) {
            return exit != null && exit == 0 ? new Outcome(JobState.SUCCEEDED, 0, null)
                    : new Outcome(JobState.FAILED, exit, "the runner stopped without reporting the job's result");
        }
        return switch (result) {
            case "Succeeded" -> new Outcome(JobState.SUCCEEDED, exit, null);
            case "Canceled", "Cancelled" -> new Outcome(JobState.CANCELLED, exit, "cancelled on GitHub");
            default -> new Outcome(JobState.FAILED, exit, "GitHub job result: " + result);
        };
    }

    /** Graceful powerdown first, then the VMM is told to quit, then killed. */
    private void shutDown() throws InterruptedException {
        vm.powerdown();
        if (vm.waitFor(config.cancelGrace()).isEmpty()) {
            vm.kill();
        }
    }

    private void update(Job next) {
        JobState from = JobState.of(job.state()).orElseThrow();
        JobState to = JobState.of(next.state()).orElseThrow();
        if (!from.canBecome(to)) {
            throw new IllegalStateException("job " + job.id() + " cannot go from " + from.wire() + " to " + to.wire());
        }
        job = next;
        if (!abandoned) {
            updates.accept(next);
        }
    }

    /** Disks and the config disk (with any secret) go; the log and the record stay. */
    private void cleanUp() {
        JobLeftovers.removeDisposables(dir);
    }
}
