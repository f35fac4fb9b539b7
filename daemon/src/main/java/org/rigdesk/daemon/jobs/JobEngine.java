package org.rigdesk.daemon.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.rigdesk.api.wire.EventType;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.JobNetwork;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.api.wire.ProblemCode;
import org.rigdesk.api.wire.Settings;
import org.rigdesk.daemon.host.FileTrees;
import org.rigdesk.daemon.events.EventHub;
import org.rigdesk.daemon.gpu.Bdf;
import org.rigdesk.daemon.cache.Caches;
import org.rigdesk.daemon.lease.GpuLeases;
import org.rigdesk.daemon.network.JobNetworks;
import org.rigdesk.daemon.problems.DomainException;
import org.rigdesk.daemon.sandbox.VmmSandbox;
import org.rigdesk.daemon.store.AuditStore;
import org.rigdesk.daemon.vfio.VfioService;
import org.rigdesk.daemon.vm.VmmSelector;

/**
 * The job lifecycle: queued → booting → running → succeeded | failed | cancelled | timed-out | lost.
 * Jobs wait in FIFO order until their GPUs (whole cards in vfio mode) and the host's CPU and memory
 * budget are free; each then runs in its own VM ({@link JobRun}). A restarted daemon finds the VMs
 * of the previous run, stops them and marks their jobs lost.
 */
public class JobEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JobEngine.class.getName());

    private final JobsConfig config;
    private final JobStore store;
    private final VfioService gpus;
    private final VmmSelector vmms;
    private final EventHub events;
    private final AuditStore audit;
    private final Supplier<Settings> settings;
    private final Deque<Pending> queue = new ArrayDeque<>();
    private final Map<Long, JobRun> running = new ConcurrentHashMap<>();
    private final GpuLeases leases;
    private volatile org.rigdesk.daemon.vfio.HealthGate gate;
    private volatile boolean asked;
    /** Runner slots' listeners, by job id, from submission to the job's end. */
    private final Map<Long, Consumer<Job>> runnerListeners = new ConcurrentHashMap<>();
    private final Consumer<JobRun.GuestSample> guestSamples;
    private final VmmSandbox sandbox;
    private final JobNetworks networks;
    private volatile boolean closed;

    /** A queued job with what it was asked for; secrets live only here and on the config disk. */
    private record Pending(Job job, JobValidator.Valid request, RunnerVmRequest runner) {
    }

    private volatile Caches caches;
    private final JobAdmission admission;
    private final JobHistory history;

    public JobEngine(JobsConfig config, JobStore store, VfioService gpus, VmmSelector vmms, EventHub events,
                     AuditStore audit, Supplier<Settings> settings, GpuLeases leases,
                     Consumer<JobRun.GuestSample> guestSamples, VmmSandbox sandbox, JobNetworks networks) {
        this.config = config;
        this.networks = networks;
        this.sandbox = sandbox;
        this.store = store;
        this.gpus = gpus;
        this.vmms = vmms;
        this.events = events;
        this.audit = audit;
        this.settings = settings;
        this.leases = leases;
        this.guestSamples = guestSamples;
        this.admission = new JobAdmission(config, gpus, vmms, networks, () -> caches);
        this.history = new JobHistory(config, store, audit, settings, sandbox);
    }

    public JobsConfig config() {
        return config;
    }

    /** {@code POST /v1/jobs}: validated, stored, queued; returns the job as stored. */
    public Job submit(JobRequest request, String caller, String kind) {
        asked = true;
        JobValidator.Valid valid;
        try {
            valid = JobValidator.check(request, config);
        } catch (DomainException e) {
            audit.record(caller, "job.submit", null, "rejected", e.getMessage());
            throw e;
        }
        return enqueue(valid, kind, null, caller);
    }

    /** A runner slot's VM, queued like any job; it is a GitHub job once its runner takes one. */
    public Job submitRunner(RunnerVmRequest runner, String caller) {
        JobValidator.Valid valid = new JobValidator.Valid("runner " + runner.runnerName(), "", runner.gpus().size(),
                runner.gpus(), runner.cpus(), runner.memoryMiB(), RunnerVmRequest.JOB_TIMEOUT_SECONDS, Map.of(),
                Map.of(), true, runner.cache(), runner.cache() != null);
        return enqueue(valid, Job.KIND_GITHUB, runner, caller);
    }

    private Job enqueue(JobValidator.Valid valid, String kind, RunnerVmRequest runner, String caller) {
        try {
            admission.admit(valid);
        } catch (DomainException e) {
            audit.record(caller, "job.submit", null, "rejected", e.getMessage());
            throw e;
        }
        Job draft = new Job(0, kind, valid.name(), JobState.QUEUED.wire(), valid.gpuAddresses(), config.simulated()
                && valid.gpuCount() > 0, null, config.accel().wire(), valid.cpus(), valid.memoryMiB(),
                valid.timeoutSeconds(), Instant.now(), null, null, null, 0, null, null, null, null, null, null);
        Job job;
        try {
            job = store.insert(draft);
        } catch (SQLException e) {
            throw DomainException.failed(ProblemCode.STORE_FAILED, "Cannot store the job", e.getMessage(),
                    "Check the state directory's disk.");
        }
        if (runner != null) {
            runnerListeners.put(job.id(), runner.listener());
        } else {
            audit.record(caller, "job.submit", "job " + job.id(), "ok", job.name());
        }
        synchronized (this) {
            queue.addLast(new Pending(job, valid, runner));
        }
        events.publish(EventType.JOB, job);
        schedule();
        return job;
    }

    private void saveNetwork(long id, JobNetwork log) {
        try {
            store.saveNetwork(id, log);
        } catch (SQLException e) {
            LOG.warning("cannot keep the egress log of job " + id + ": " + e.getMessage());
        }
    }

    /** The job's network and egress log: live while its VM runs, as kept after; empty for a job not known. */
    public Optional<JobNetwork> network(long id) {
        Optional<JobNetwork> live = networks.live(id);
        if (live.isPresent()) {
            return live;
        }
        try {
            if (store.get(id).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(store.network(id).orElse(JobNetwork.NONE));
        } catch (SQLException e) {
            throw DomainException.failed(ProblemCode.STORE_FAILED, "Cannot read the job's network log", e.getMessage(),
                    "Check the state directory's disk.");
        }
    }

    /** Set once at start: where jobs' caches live (none: jobs asking for one are refused). */
    public void useCaches(Caches with) {
        this.caches = with;
    }

    /** Whether jobs can have a cache here (every VMM takes one: see {@link Caches.Layer}). */
    public boolean cachesAvailable() {
        return caches != null;
    }

    /** Starts queued jobs, oldest first, while their resources are free (no overtaking). */
    synchronized void schedule() {
        while (!closed && !queue.isEmpty()) {
            Pending head = queue.peekFirst();
            List<String> granted = grant(head);
            if (granted == null) {
                return;
            }
            queue.pollFirst();
            if (!granted.isEmpty()) {
                gpus.refresh(); // usedBy shows the job at once, and a gpu event tells the windows
            }
            List<Bdf> functions = new ArrayList<>();
            for (String bdf : granted) {
                gpus.get(bdf).ifPresent(gpu -> {
                    functions.add(Bdf.parse(gpu.bdf()));
                    gpu.groupDevices().stream().filter(d -> !"bridge".equals(d.role()))
                            .forEach(d -> functions.add(Bdf.parse(d.bdf())));
                });
            }
            var vmm = vmms.choose(!granted.isEmpty());
            // Booting from the moment it holds its cards: whoever reads the job after this (the POST's
            // caller, a toggle refused for it) sees it has them.
            Job job = Jobs.withState(Jobs.withGpus(head.job(), granted, config.simulated() && !granted.isEmpty(),
                    vmm.name()), JobState.BOOTING);
            onUpdate(job);
            long id = job.id();
            JobRun run = new JobRun(job, head.request(), head.runner(), config, vmm, sandbox,
                    config.simulated() ? List.of() : functions, this::onUpdate, sample -> guestSamples.accept(sample),
                    head.request().network() ? networks : null, log -> saveNetwork(id, log),
                    head.request().cache() == null && (head.runner() == null || head.runner().lateCache() == null)
                            ? null : caches, settings);
            running.put(job.id(), run);
            Thread thread = new Thread(run, "job-" + job.id());
            thread.setDaemon(true);
            // The last guard against a zombie: a job whose thread dies before it reported an end.
            thread.setUncaughtExceptionHandler((dead, e) -> threadDied(run, e));
            thread.start();
        }
    }

    /** Whether anyone has asked for a job since the daemon started (refused or not), or one is stored. */
    public boolean asked() {
        return asked || !list(null, 1).isEmpty();
    }

    /** Set once at start: cards are checked before a job gets them and after its VM ends. */
    public void gateWith(org.rigdesk.daemon.vfio.HealthGate gate) {
        this.gate = gate;
        gate.onLifted(this::schedule);
    }

    /** Each card's IOMMU group, as the inventory knows it (a card it no longer lists: its own slot). */
    private Map<String, String> groupsOf(List<String> bdfs) {
        Map<String, String> groups = new java.util.LinkedHashMap<>();
        for (String bdf : bdfs) {
            groups.put(bdf, gpus.get(bdf).map(VfioService::groupKey)
                    .orElse(GpuLeases.key(null, org.rigdesk.daemon.gpu.Bdf.parse(bdf).slot())));
        }
        return groups;
    }

    /**
     * The GPUs for the queue's head, lent to it, or null when it must wait. The inventory says which
     * cards look free; the lease makes them the job's, all or none (a toggle may hold one by now);
     * then sysfs, read after the lease, says they are still on vfio-pci (a toggle may have moved
     * one between the inventory's reading and the lease).
     */
    private List<String> grant(Pending pending) {
        int cpus = running.values().stream().mapToInt(r -> r.job().cpus()).sum();
        int memory = running.values().stream().mapToInt(r -> r.job().memoryMiB()).sum();
        if (cpus + pending.job().cpus() > config.hostCpus() || memory + pending.job().memoryMiB() > config.hostMemoryMiB()) {
            return null;
        }
        Map<String, Gpu> free = new java.util.LinkedHashMap<>();
        // Held groups (a job's, a change's, a quarantine) are read from the leases, which are live.
        gpus.list().stream().filter(g -> g.is(GpuMode.VFIO) && leases.holder(VfioService.groupKey(g)).isEmpty())
                .forEach(g -> free.put(g.bdf(), g));
        List<String> wanted = pending.request().gpuAddresses();
        List<String> chosen;
        if (!wanted.isEmpty()) {
            chosen = free.keySet().containsAll(wanted) ? wanted : null;
        } else {
            int count = pending.request().gpuCount();
            chosen = free.size() >= count ? List.copyOf(free.keySet()).subList(0, count) : null;
        }
        if (chosen == null || chosen.isEmpty()) {
            return chosen;
        }
        long id = pending.job().id();
        if (!leases.lend(id, chosen.stream().map(bdf -> VfioService.groupKey(free.get(bdf))).toList())) {
            return null;
        }
        if (!chosen.stream().allMatch(gpus::onVfioNow)) {
            leases.giveBack(id);
            return null;
        }
        if (gate != null && !gate.admit(id, groupsOf(chosen))) {
            // A card failed its check and is quarantined now: the job waits for healthy ones.
            leases.giveBack(id);
            gpus.refresh();
            return null;
        }
        return chosen;
    }

    /**
     * A run reports a change: store it, announce it, and free its resources when it is over. A
     * runner VM that ends without having taken a GitHub job leaves no record: it was never a job.
     */
    private void onUpdate(Job job) {
        boolean discard = job.finished() && Jobs.isIdleRunner(job);
        if (job.finished()) {
            // Its GPUs are free before anyone can read that the job ended.
            JobRun run = running.remove(job.id());
            if (run != null && gate != null && !job.gpus().isEmpty()) {
                // Reset and checked, with what the guest saw; a failed one stays out.
                gate.afterJob(job.id(), groupsOf(job.gpus()), run.guestGpuProblems());
            }
            leases.giveBack(job.id());
            gpus.refresh();
        }
        try {
            if (discard) {
                store.delete(job.id());
                FileTrees.delete(config.jobsDir().resolve(Long.toString(job.id())));
            } else {
                store.update(job);
            }
        } catch (SQLException | IOException e) {
            LOG.warning("cannot store job " + job.id() + ": " + e.getMessage());
        }
        events.publish(discard ? EventType.JOB_REMOVED : EventType.JOB, job);
        if (job.finished()) {
            org.rigdesk.daemon.vm.ConsolePump.GROWTH.signal(); // its log's followers end now, not at their next look
            history.prune();
        }
        // A runner slot hears of the end only once its GPUs are free, so it can refill at once.
        Consumer<Job> listener = job.finished() ? runnerListeners.remove(job.id()) : runnerListeners.get(job.id());
        if (listener != null) {
            listener.accept(job);
        }
        if (job.finished()) {
            schedule();
        }
    }

    /** A job's thread ended by a throwable it did not catch: the job ends, failed, and frees what it held. */
    private void threadDied(JobRun run, Throwable e) {
        LOG.severe("the thread of job " + run.job().id() + " died: " + e);
        if (running.containsKey(run.job().id()) && !run.job().finished()) {
            onUpdate(Jobs.finished(run.job(), JobState.FAILED, null, "rigdeskd lost the job's thread: " + e,
                    JobHistory.size(JobRun.logFile(config.jobsDir(), run.job().id()))));
        }
    }

    public Job cancel(long id, String caller) {
        Job job = get(id).orElseThrow(() -> DomainException.notFound("no job " + id));
        if (job.finished()) {
            throw DomainException.refused(ProblemCode.ALREADY_FINISHED, "job " + id + " has already " + job.state(), null);
        }
        synchronized (this) {
            Optional<Pending> queued = queue.stream().filter(p -> p.job().id() == id).findFirst();
            if (queued.isPresent()) {
                queue.remove(queued.get());
                Job cancelled = Jobs.finished(queued.get().job(), JobState.CANCELLED, null, "cancelled before it started", 0);
                audit.record(caller, "job.cancel", "job " + id, "ok", "was queued");
                onUpdate(cancelled);
                return cancelled;
            }
        }
        JobRun run = running.get(id);
        if (run != null) {
            run.cancel();
        }
        audit.record(caller, "job.cancel", "job " + id, "ok", "was " + job.state());
        return get(id).orElse(job);
    }

    /**
     * Stops a runner slot's VM: one still queued leaves the queue; one whose runner has not taken a
     * job is killed at once (nothing in it to lose); one running a GitHub job gets the usual grace.
     */
    public void stopRunnerVm(long id) {
        synchronized (this) {
            Optional<Pending> queued = queue.stream().filter(p -> p.job().id() == id).findFirst();
            if (queued.isPresent()) {
                queue.remove(queued.get());
                onUpdate(Jobs.finished(queued.get().job(), JobState.CANCELLED, null, "stopped before it started", 0));
                return;
            }
        }
        JobRun run = running.get(id);
        if (run == null) {
            return;
        }
        if (Jobs.isIdleRunner(run.job())) {
            run.cancelNow();
        } else {
            run.cancel();
        }
    }

    public Optional<Job> get(long id) {
        JobRun run = running.get(id);
        if (run != null) {
            return Optional.of(run.job());
        }
        try {
            return store.get(id);
        } catch (SQLException e) {
            throw DomainException.failed(ProblemCode.STORE_FAILED, "Cannot read jobs", e.getMessage(), null);
        }
    }

    public List<Job> list(String state, int limit) {
        try {
            List<Job> stored = store.list(state, limit);
            List<Job> live = new ArrayList<>(stored.size());
            for (Job job : stored) {
                JobRun run = running.get(job.id());
                live.add(run != null ? run.job() : job);
            }
            return live;
        } catch (SQLException e) {
            throw DomainException.failed(ProblemCode.STORE_FAILED, "Cannot read jobs", e.getMessage(), null);
        }
    }

    public Path logFile(long id) {
        return JobRun.logFile(config.jobsDir(), id);
    }

    /** At start: what the previous daemon left behind is stopped, removed and marked lost ({@link JobHistory}). */
    public void recover() throws IOException {
        history.recover();
    }

    public int runningCount() {
        return running.size();
    }

    @Override
    public void close() {
        closed = true;
        // No VM outlives the daemon: stop each and record its job as lost.
        for (JobRun run : running.values()) {
            run.abandon();
            history.stoppedUnder(run.job());
        }
    }
}
