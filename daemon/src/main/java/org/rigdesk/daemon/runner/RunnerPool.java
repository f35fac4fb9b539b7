package org.rigdesk.daemon.runner;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.rigdesk.api.wire.EventType;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.GpuLending;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.api.wire.SlotState;
import org.rigdesk.daemon.events.EventHub;
import org.rigdesk.daemon.github.GitHubApi;
import org.rigdesk.daemon.github.GitHubException;
import org.rigdesk.daemon.github.GitHubRunner;
import org.rigdesk.daemon.jobs.JobEngine;
import org.rigdesk.daemon.jobs.RunnerVmRequest;
import org.rigdesk.daemon.lending.LendingService;
import org.rigdesk.daemon.network.EgressPolicy;
import org.rigdesk.daemon.problems.DomainException;
import org.rigdesk.daemon.release.RunnerSupply;
import org.rigdesk.daemon.store.AuditStore;

/**
 * The ephemeral runner slots. Each slot keeps one VM booted with a fresh just-in-time runner;
 * after its one job the VM ends and the slot refills. Nothing waits on webhooks: a reconciler
 * polls GitHub, deletes runners of ours that no VM serves (never a busy one), recycles runners
 * GitHub keeps calling offline, and stops a VM whose job GitHub says is over. All state changes
 * happen on one thread; GitHub's back-off signals stop every call until they expire.
 */
public class RunnerPool implements AutoCloseable, LendingService.Borrower {

    private static final Logger LOG = Logger.getLogger(RunnerPool.class.getName());
    private static final String ACTOR = "rigdeskd";

    /** How the pool is set up; {@code ownedPrefix} marks this host's runners on GitHub. */
    public record Config(List<String> labels, String ownedPrefix, long runnerGroupId, int gpuSlots, int cpuSlots,
                         int slotCpus, int slotMemoryMiB, Duration poll, Duration offlineGrace, Duration jobGrace,
                         Clock clock, EgressPolicy egress, Duration queuePoll, String cache,
                         List<String> cacheWriteEvents, String gpuSlotJobs) {
    }

    /** A test job waiting for a slot (test image only). */
    record TestJob(boolean gpu, Map<String, String> files) {
    }

    private final Config config;
    private final GitHubApi github;
    private final JobEngine jobs;
    private final PoolCards cards;
    private final OnDemandMatcher onDemand;
    private final AuditStore audit;
    private final EventHub events;
    private final ScheduledExecutorService thread;
    private final List<Slot> slots = new ArrayList<>();
    private final Deque<TestJob> testJobs = new ArrayDeque<>();
    private final GitHubBackoff backoff = new GitHubBackoff();
    private final QueueWatch queue;
    private final CacheTrust cacheTrust;
    private final JitRunners jitRunners;
    private final Reconciler reconciler;
    private final Runnable wakeLending;
    private final RunnerSupply runner;
    private Instant nextQueuePoll = Instant.EPOCH;
    private final Instant startedAt;
    private volatile boolean queueRead;
    private String queueProblem;
    /** Read by the lending thread: the cards whose runner VM has no job yet. */
    private volatile Set<String> idleOn = Set.of();
    private volatile List<RunnerStatus.Slot> published = List.of();
    private volatile List<GitHubRunner> ours = List.of();
    private volatile String githubState;
    private volatile boolean paused;
    private volatile boolean closed;
    private Instant nextReconcile = Instant.EPOCH;
    private long serial = System.currentTimeMillis() / 1000;

    public RunnerPool(Config config, GitHubApi github, JobEngine jobs, Supplier<List<Gpu>> gpus,
                      Function<String, Integer> gpuMemoryMiB, AuditStore audit, EventHub events, boolean paused,
                      Runnable wakeLending, RunnerSupply runner) {
        this.config = config;
        this.runner = runner;
        this.queue = new QueueWatch(github, config.clock());
        this.cacheTrust = new CacheTrust(github, config.cacheWriteEvents());
        this.jitRunners = new JitRunners(github, backoff, config.clock(), config.runnerGroupId());
        this.reconciler = new Reconciler(github, jitRunners, jobs, audit, config, this::stop);
        this.wakeLending = wakeLending;
        this.startedAt = config.clock().instant();
        this.github = github;
        this.jobs = jobs;
        this.cards = new PoolCards(gpus, gpuMemoryMiB, config, jobs);
        this.onDemand = new OnDemandMatcher(new OnDemandMatcher.Slots() {
            @Override
            public List<Slot> all() {
                return slots;
            }

            @Override
            public void stop(Slot slot, String reason) {
                RunnerPool.this.stop(slot, reason);
            }

            @Override
            public void wantedChanged(boolean wake) {
                publishIdle();
                if (wake) {
                    wakeLending.run();
                }
            }
        }, cards, audit, config.clock(), config.cpuSlots() > 0);
        this.audit = audit;
        this.events = events;
        this.paused = paused;
        for (int i = 0; i < config.gpuSlots(); i++) {
            slots.add(new Slot("gpu" + i, true, config.clock()));
        }
        for (int i = 0; i < config.cpuSlots(); i++) {
            slots.add(new Slot("cpu" + i, false, config.clock()));
        }
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "runner-pool");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        publish();
        // Ticks at least every second: a card lent on demand is taken as soon as it is on vfio-pci;
        // GitHub is called only when the reconcile or the queue poll is due.
        thread.scheduleWithFixedDelay(this::tick, 0, Math.min(1000, config.poll().toMillis()), TimeUnit.MILLISECONDS);
    }

    public Config config() {
        return config;
    }

    public boolean paused() {
        return paused;
    }

    public List<RunnerStatus.Slot> slots() {
        return published;
    }

    /** Our runners as GitHub last listed them (the reconciler's view; no API call per request). */
    public List<GitHubRunner> runners() {
        return ours;
    }

    public String githubState() {
        return githubState;
    }

    /** One line: how many slots do what. */
    public String summary() {
        if (closed) {
            return "stopped";
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        published.forEach(slot -> counts.merge(slot.state(), 1, Integer::sum));
        StringBuilder line = new StringBuilder(paused ? "paused" : "running");
        line.append(": ").append(published.size()).append(published.size() == 1 ? " slot" : " slots");
        counts.forEach((state, n) -> line.append(", ").append(n).append(' ').append(state));
        return line.toString();
    }

    /** Drain: running jobs finish, idle and booting VMs stop, no new runners. */
    public void pause() {
        paused = true;
        run(this::tick);
    }

    public void resume() {
        paused = false;
        run(this::tick);
    }

    /** Hands a test job to the next slot of its kind: an idle one is recycled to take it. */
    void addTestJob(TestJob job) {
        run(() -> {
            testJobs.addLast(job);
            slots.stream().filter(s -> s.gpu == job.gpu() && s.state == SlotState.IDLE).findFirst()
                    .ifPresent(slot -> stop(slot, "recycled to take a test job"));
            tick();
        });
    }

    /** Whether a job of this kind has somewhere to go: a slot, or for a GPU job an on-demand card. */
    boolean hasSlot(boolean gpu) {
        return slots.stream().anyMatch(s -> s.gpu == gpu)
                || gpu && cards.all().stream().anyMatch(g -> PoolCards.lentAs(g, GpuLending.ON_DEMAND));
    }

    /** The queued jobs one of our runners could take, as the last poll saw them. */
    public List<RunnerStatus.QueuedJob> queued() {
        return onDemand.view();
    }

    // ---- LendingService.Borrower, called from the lending thread ----

    @Override
    public boolean wants(String bdf) {
        return onDemand.wanted().containsKey(bdf);
    }

    @Override
    public Optional<String> wantedFor(String bdf) {
        return Optional.ofNullable(onDemand.wanted().get(bdf));
    }

    @Override
    public boolean knowsQueue() {
        return queueRead || paused || config.clock().instant().isAfter(startedAt.plus(config.queuePoll().multipliedBy(3)));
    }

    @Override
    public boolean release(String bdf, String reason) {
        if (!idleOn.contains(bdf)) {
            return false;
        }
        run(() -> slots.stream().filter(s -> bdf.equals(s.gpuBdf) && s.hasVm() && s.state != SlotState.BUSY
                && s.stopReason == null).findFirst().ifPresent(slot -> {
                    audit.record(ACTOR, "runner.release", bdf, "ok", reason);
                    stop(slot, reason);
                }));
        return true;
    }

    private void run(Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.severe("runner pool: " + e);
                }
            });
        } catch (RejectedExecutionException e) {
            // closed: the engine still finishes the VMs; nothing here to update
        }
    }

    private void tick() {
        if (closed) {
            return;
        }
        Instant now = config.clock().instant();
        if (!now.isBefore(nextReconcile) && !backoff.blocked(now)) {
            reconcile(now);
            nextReconcile = now.plus(config.poll());
        }
        if (!paused && !now.isBefore(nextQueuePoll) && !backoff.blocked(now)) {
            pollQueue(now);
            nextQueuePoll = now.plus(config.queuePoll());
        }
        if (paused) {
            onDemand.dropAll("the pool is paused");
        } else {
            onDemand.match(now);
        }
        for (Slot slot : List.copyOf(slots)) {
            if (slot.pinned != null && slot.state == SlotState.IDLE && slot.stopReason == null
                    && slot.listeningSince != null) {
                int idle = cards.idleSeconds(slot.pinned);
                if (slot.listeningSince.plusSeconds(idle).isBefore(now)) {
                    onDemand.timedOut(slot, now);
                    stop(slot, "no job came for " + idle + " s: the card goes back");
                    continue;
                }
            }
            if (paused) {
                if (slot.hasVm() && slot.stopReason == null && slot.state != SlotState.BUSY) {
                    stop(slot, "the pool is paused");
                } else if (!slot.hasVm()) {
                    slot.to(SlotState.PAUSED, "resume to start runners again");
                }
            } else if (!slot.hasVm() && !now.isBefore(slot.retryAt) && !backoff.blocked(now)) {
                fill(slot);
            } else if (!slot.hasVm() && backoff.blocked(now)) {
                slot.to(SlotState.WAITING, backoff.describe(now));
            }
        }
        publish();
    }

    /** A fresh JIT runner and a VM for it. */
    private void fill(Slot slot) {
        String gpu = null;
        if (slot.pinned != null) {
            Gpu card = cards.card(slot.pinned);
            if (card == null || !card.is(GpuMode.VFIO) || card.usedBy() != null) {
                slot.to(SlotState.WAITING, PoolCards.blocked(card) ? card.lending().detail()
                        : "moving " + slot.pinned + " to vfio-pci for " + slot.forWords);
                wakeLending.run();
                return;
            }
            gpu = slot.pinned;
        } else if (slot.gpu) {
            gpu = freeGpu().orElse(null);
            if (gpu == null) {
                slot.to(SlotState.WAITING, "no free GPU in passthrough mode for this slot: move one to vfio "
                        + "(rigdesk gpu mode BDF vfio) or register fewer GPU slots");
                slot.retryAt = config.clock().instant().plusSeconds(5);
                return;
            }
        }
        java.nio.file.Path runnerDisk = runner.disk();
        if (runnerDisk == null) {
            slot.to(SlotState.WAITING, runner.unusable());
            slot.retryAt = config.clock().instant().plusSeconds(5);
            return;
        }
        String name = config.ownedPrefix() + slot.key + "-" + Long.toString(serial++, 36);
        List<String> labels = gpu == null ? cards.cpuLabels() : cards.gpuLabels(gpu);
        slot.to(SlotState.STARTING, "asking GitHub for a just-in-time runner");
        GitHubApi.JitConfig jit;
        try {
            jit = jitRunners.create(name, labels);
        } catch (IOException e) {
            Duration wait = backoff.failed(e, config.clock().instant());
            slot.to(SlotState.WAITING, "GitHub refused a new runner: " + e.getMessage() + "; retry in "
                    + wait.toSeconds() + " s");
            githubState = backoff.describe(config.clock().instant());
            return;
        }
        backoff.succeeded();
        githubState = null;
        Map<String, String> files = new LinkedHashMap<>();
        files.put("jitconfig", jit.encodedJitConfig());
        // An organisation's slot takes jobs of any of its repositories: each gets its own
        // repository's cache, attached once the job has started (the VM learns which then).
        boolean lateCache = config.cache() != null && github.scope().isOrganisation();
        if (lateCache) {
            files.put("cache-late", "1");
        }
        TestJob test = takeTestJob(slot.gpu);
        if (test != null) {
            files.putAll(test.files());
        }
        Job job;
        try {
            String runner = jit.name();
            job = jobs.submitRunner(new RunnerVmRequest(name, gpu == null ? List.of() : List.of(gpu),
                    config.slotCpus(), config.slotMemoryMiB(), files, update -> run(() -> onJob(slot, update)),
                    config.egress(), lateCache ? null : config.cache(), finished -> cacheTrust.refusal(finished, runner),
                    runnerDisk, lateCache ? started -> cacheTrust.cacheFor(started, runner) : null), ACTOR);
        } catch (DomainException e) {
            if (test != null) {
                testJobs.addFirst(test);
            }
            jitRunners.deleteQuietly(jit.runnerId());
            slot.to(SlotState.WAITING, e.detail() + (e.remedy() == null ? "" : " — " + e.remedy()));
            slot.retryAt = config.clock().instant().plusSeconds(15);
            return;
        }
        slot.gpuBdf = gpu;
        slot.runnerName = jit.name();
        slot.runnerId = jit.runnerId();
        slot.jobId = job.id();
        slot.labels = labels;
        slot.to(SlotState.BOOTING, test == null ? "job " + job.id() : "job " + job.id() + " (with a test job)");
    }

    private TestJob takeTestJob(boolean gpu) {
        for (TestJob job : testJobs) {
            if (job.gpu() == gpu) {
                testJobs.remove(job);
                return job;
            }
        }
        return null;
    }

    /** A change of a slot's job record: the VM listens, runs a job, or is gone. */
    private void onJob(Slot slot, Job job) {
        if (slot.jobId == null || slot.jobId != job.id()) {
            return;
        }
        switch (JobState.of(job.state()).orElse(JobState.LOST)) {
            case BOOTING -> slot.to(SlotState.BOOTING, "job " + job.id());
            case READY -> {
                slot.listeningSince = config.clock().instant();
                slot.to(SlotState.IDLE, "listening for a job");
                slot.failures = 0;
            }
            case RUNNING -> slot.to(SlotState.BUSY, job.name());
            default -> {
                if (job.finished()) {
                    ended(slot, job);
                }
            }
        }
        tick();
    }

    private void ended(Slot slot, Job job) {
        boolean tookJob = job.jobName() != null;
        String reason = slot.stopReason;
        Long runnerId = slot.runnerId;
        String runnerName = slot.runnerName;
        slot.vacate();
        if (slot.pinned != null) {
            onDemand.ended(slot, job, reason, nextQueuePoll.plusSeconds(1));
        } else if (!tookJob && reason == null) {
            slot.failures++;
            long wait = GitHubBackoff.doubling(slot.failures).toSeconds(); // the same schedule as GitHub's
            slot.retryAt = config.clock().instant().plusSeconds(wait);
            slot.to(SlotState.WAITING, "the VM of runner " + runnerName + " ended before it took a job: "
                    + job.error() + "; refilling in " + wait + " s");
            audit.record(ACTOR, "runner.slot", slot.key, "failed", job.error());
            LOG.warning("runner slot " + slot.key + ": " + job.error());
        } else {
            slot.retryAt = Instant.EPOCH;
            slot.to(SlotState.STARTING, tookJob ? "job " + job.id() + " " + job.state() + "; refilling"
                    : reason);
        }
        if (runnerId != null) {
            jitRunners.deleteQuietly(runnerId);
        }
    }

    private void stop(Slot slot, String reason) {
        slot.stopReason = reason;
        slot.to(SlotState.STOPPING, reason);
        jobs.stopRunnerVm(slot.jobId);
    }

    /** The reconciler: GitHub's list against our slots. */
    private void reconcile(Instant now) {
        List<GitHubRunner> listed;
        try {
            listed = reconciler.list();
        } catch (IOException e) {
            Duration wait = backoff.failed(e, now);
            githubState = backoff.describe(now);
            LOG.info("listing runners failed; next try in " + wait.toSeconds() + " s: " + e.getMessage());
            return;
        }
        backoff.succeeded();
        githubState = null;
        ours = listed;
        reconciler.reconcile(listed, slots, now);
    }

    /** A card on vfio-pci, free, lent to CI (not on demand: those wait for their job). */
    private Optional<String> freeGpu() {
        Set<String> taken = new HashSet<>(onDemand.lentCards());
        slots.stream().filter(s -> s.gpuBdf != null).forEach(s -> taken.add(s.gpuBdf));
        return cards.all().stream()
                .filter(g -> g.is(GpuMode.VFIO) && g.usedBy() == null && !taken.contains(g.bdf())
                        && (g.lending() == null || PoolCards.lentAs(g, GpuLending.CI)))
                .map(Gpu::bdf).sorted().findFirst();
    }

    // ---- GitHub's queue and the on-demand cards ----

    private void pollQueue(Instant now) {
        try {
            onDemand.queue(queue.poll());
            queueRead = true;
            queueProblem = null;
            backoff.succeeded();
            githubState = null;
        } catch (GitHubException e) {
            if (e.retryAfter() != null || e.status() == 429 || e.status() >= 500) {
                backoff.failed(e, now);
                githubState = backoff.describe(now);
            } else {
                // A token that may manage runners but not read Actions: the warm slots go on, on-demand cards wait.
                onDemand.queue(List.of());
                queueUnreadable("GitHub refused to show its queue (" + e.status() + ": " + e.getMessage()
                        + "); on-demand GPUs need a token with Actions: read");
            }
        } catch (IOException | IllegalArgumentException e) {
            if (e instanceof IOException io) {
                backoff.failed(io, now);
                githubState = backoff.describe(now);
            }
            LOG.info("reading GitHub's queue failed: " + e.getMessage());
        }
    }

    private void queueUnreadable(String problem) {
        if (!problem.equals(queueProblem)) {
            LOG.warning(problem);
            audit.record(ACTOR, "runner.queue", github.scope().display(), "refused", problem);
        }
        queueProblem = problem;
    }

    /** What the lending thread reads: the cards whose runner VM has no job yet. */
    private void publishIdle() {
        Set<String> idle = new HashSet<>();
        slots.stream().filter(s -> s.gpuBdf != null && s.hasVm() && s.state != SlotState.BUSY)
                .forEach(s -> idle.add(s.gpuBdf));
        idleOn = Set.copyOf(idle);
    }

    private void publish() {
        publishIdle();
        List<RunnerStatus.Slot> next = slots.stream().map(Slot::snapshot).toList();
        if (!next.equals(published)) {
            published = next;
            events.publish(EventType.RUNNER, new org.rigdesk.api.wire.RunnerEvent(summary(), next));
        }
    }

    /**
     * Stops the pool. {@code removeRunners}: idle and booting VMs stop and every runner of ours
     * that is not busy is deleted from GitHub; busy VMs finish their job (GitHub removes their
     * JIT runners after it). Waits at most {@code wait} for GitHub.
     */
    public void shutdown(boolean removeRunners, Duration wait) {
        Runnable last = () -> {
            closed = true;
            for (Slot slot : slots) {
                if (slot.hasVm() && slot.state != SlotState.BUSY) {
                    stop(slot, "the pool stopped");
                }
            }
            if (removeRunners) {
                try {
                    github.deleteIdleRunners(config.ownedPrefix());
                } catch (IOException e) {
                    LOG.warning("cannot remove our idle runners from GitHub: " + e.getMessage());
                }
            }
        };
        try {
            thread.submit(last).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warning("the runner pool did not stop in time: " + e);
        }
        thread.shutdownNow();
    }

    /** The daemon stops: idle runners go from GitHub too, so none lingers offline. */
    @Override
    public void close() {
        shutdown(true, Duration.ofSeconds(3));
    }
}
