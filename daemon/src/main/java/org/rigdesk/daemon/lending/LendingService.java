package org.rigdesk.daemon.lending;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.GpuLending;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.LendingRequest;
import org.rigdesk.api.wire.LendingState;
import org.rigdesk.api.wire.ProblemCode;
import org.rigdesk.daemon.gpu.Bdf;
import org.rigdesk.daemon.jobs.JobEngine;
import org.rigdesk.daemon.problems.DomainException;
import org.rigdesk.daemon.store.AuditStore;
import org.rigdesk.daemon.store.Database;
import org.rigdesk.daemon.vfio.VfioService;

/**
 * Desk mode: each card's lending policy, and one thread ({@code lending}) that brings every card
 * with a stored policy where that policy wants it now. ci: on vfio-pci (a warm slot of the runner
 * pool takes it); desk: on its host driver; on-demand: on the host until the pool {@link
 * Borrower#wants wants} it for a queued job; schedule: ci or on-demand inside its windows, desk
 * outside. A card coming back first loses its idle runner VM; a job on it finishes (or is
 * cancelled, when the owner asked). A move the preflight refuses (the owner's processes hold the
 * card) is never forced: the card is shown blocked, with the reason, and tried again later. A card
 * with no stored policy is left where it is (the toggle stores one with every move).
 */
public class LendingService implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LendingService.class.getName());
    private static final String ACTOR = "rigdeskd";

    /** What the runner pool says about the cards it borrows; {@link #NONE} while no runner is registered. */
    public interface Borrower {
        /** Whether the pool wants this on-demand card for a queued job now. */
        boolean wants(String bdf);

        /** What the pool wants it for, in words ("job Transcribe of octo/gpu-ci"), when it does. */
        Optional<String> wantedFor(String bdf);

        /** Stops the runner VM on this card that has not taken a job; false when there is none. */
        boolean release(String bdf, String reason);

        /**
         * Whether the pool has read GitHub's queue since it started (or gave up waiting to): until
         * then an on-demand card found lent (after a restart) is not yet given back.
         */
        boolean knowsQueue();

        Borrower NONE = new Borrower() {
            @Override
            public boolean wants(String bdf) {
                return false;
            }

            @Override
            public Optional<String> wantedFor(String bdf) {
                return Optional.empty();
            }

            @Override
            public boolean release(String bdf, String reason) {
                return false;
            }

            @Override
            public boolean knowsQueue() {
                return true;
            }
        };
    }

    /** The clock schedules are read on (tests start it at a chosen time), how often the thread looks, and how long a refusal waits. */
    public record Timings(Clock clock, Duration tick, Duration retry) {
    }

    /** Where a card is, as the last tick found it. */
    private record Seen(LendingState state, String detail, Long jobId, Instant since) {
    }

    private final LendingStore store;
    private final VfioService vfio;
    private final JobEngine jobs;
    private final AuditStore audit;
    private final Clock clock;
    private final ZoneId zone;
    private final Duration retry;
    private final Map<String, LendingStore.Policy> policies = new ConcurrentHashMap<>();
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    /** A refused move is tried again from this time on. */
    private final Map<String, Instant> retryAt = new ConcurrentHashMap<>();
    /** Cards whose owner asked to cancel the job on them; the job whose cancel was sent. */
    private final Map<String, Long> cancelWanted = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread;
    private final Duration tick;
    private volatile Supplier<Borrower> borrower = () -> Borrower.NONE;

    public LendingService(Database database, VfioService vfio, JobEngine jobs, AuditStore audit, Timings timings,
                          ZoneId zone) throws SQLException {
        this.store = new LendingStore(database);
        this.vfio = vfio;
        this.jobs = jobs;
        this.audit = audit;
        this.clock = timings.clock();
        this.zone = zone;
        this.tick = timings.tick();
        this.retry = timings.retry();
        policies.putAll(store.all());
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "lending");
            t.setDaemon(true);
            return t;
        });
    }

    /** The runner pool, once there is one (it changes with the registration). */
    public void borrowers(Supplier<Borrower> current) {
        this.borrower = current;
    }

    public void start() {
        thread.scheduleWithFixedDelay(this::tickSafely, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs a tick soon, off the caller's thread (after a policy change, or when the pool wants a card). */
    public void wake() {
        try {
            thread.execute(this::tickSafely);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    // ---- what the API and the pool read ----

    /** The card with its lending filled in; {@link VfioService} builds every answer and event through this. */
    public Gpu decorate(Gpu gpu) {
        LendingStore.Policy policy = policyOf(gpu);
        String effective = effective(policy, gpu);
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone));
        Optional<LendingSchedule.Change> next = policy.schedule() == null ? Optional.empty()
                : policy.schedule().nextChange(now);
        Seen at = seen.get(gpu.bdf());
        if (at == null) {
            at = derived(gpu, effective);
        } else if (at.state() == LendingState.MOVING && gpu.is(GpuMode.VFIO)) {
            // The move is done (the card's own event says vfio) before the lending thread has stored
            // "lent": a card already on vfio-pci never reads as still moving.
            at = new Seen(LendingState.LENT, words(LendingState.LENT, gpu, null), at.jobId(), at.since());
        }
        return gpu.withLending(new GpuLending(policy.policy(), policy.windows(), policy.idleSeconds(), effective,
                at.state().wire(), at.detail(), at.jobId(), at.since(), next.map(LendingSchedule.Change::at).orElse(null),
                next.map(LendingSchedule.Change::policy).orElse(null)));
    }

    /** ci, desk or on-demand for this card now (what the pool may do with it). */
    public String effective(String bdf) {
        return vfio.get(bdf).map(gpu -> effective(policyOf(gpu), gpu)).orElse(GpuLending.DESK);
    }

    private String effective(LendingStore.Policy policy, Gpu gpu) {
        if (policy.schedule() != null) {
            return policy.schedule().effectiveAt(ZonedDateTime.now(clock.withZone(zone)));
        }
        return policy.policy();
    }

    /** The stored policy, or what the card's place says: a card on vfio-pci is lent to CI, any other is the owner's. */
    private LendingStore.Policy policyOf(Gpu gpu) {
        if (gpu.bootVga()) {
            return new LendingStore.Policy(GpuLending.DESK, null, GpuLending.DEFAULT_IDLE_SECONDS);
        }
        LendingStore.Policy stored = policies.get(gpu.bdf());
        if (stored != null) {
            return stored;
        }
        return new LendingStore.Policy(gpu.is(GpuMode.VFIO) ? GpuLending.CI : GpuLending.DESK, null,
                GpuLending.DEFAULT_IDLE_SECONDS);
    }

    private Seen derived(Gpu gpu, String effective) {
        LendingState state = gpu.is(GpuMode.VFIO) ? LendingState.LENT
                : GpuLending.ON_DEMAND.equals(effective) ? LendingState.STANDBY : LendingState.DESK;
        return new Seen(state, words(state, gpu, null), null, null);
    }

    private static String words(LendingState state, Gpu gpu, String more) {
        String text = switch (state) {
            case LENT -> "Lent to CI";
            case DESK -> gpu.bootVga() ? "On your desk (the boot display stays on the host)" : "On your desk";
            case STANDBY -> "On demand: on the host until a job asks";
            case MOVING -> "Moving to a VM";
            case RETURNING -> "Coming back to your desk";
            case BLOCKED -> "Wanted for CI, but refused";
        };
        return more == null ? text : text + (more.startsWith("for ") ? " " : ": ") + more;
    }

    // ---- what the owner changes ----

    /** {@code PUT /v1/gpus/{bdf}/lending}. */
    public Gpu setPolicy(Bdf address, LendingRequest request, String caller) {
        String bdf = address.value();
        Gpu gpu = card(bdf, "gpu.lending", caller);
        LendingStore.Policy policy;
        try {
            policy = LendingPolicies.of(request);
        } catch (IllegalArgumentException e) {
            audit.record(caller, "gpu.lending", bdf, "rejected", e.getMessage());
            throw DomainException.invalid(e.getMessage());
        }
        if (!GpuLending.DESK.equals(policy.policy())) {
            refuseIfNeverLendable(gpu, caller, policy.policy());
        }
        put(bdf, policy, caller);
        cancelWanted.remove(bdf);
        audit.record(caller, "gpu.lending", bdf, "ok", LendingPolicies.describe(policy));
        return settled(bdf);
    }

    /** {@code POST /v1/gpus/{bdf}/reclaim}: "Use on my desk". */
    public Gpu reclaim(Bdf address, boolean cancelJob, String caller) {
        String bdf = address.value();
        Gpu gpu = card(bdf, "gpu.reclaim", caller);
        LendingStore.Policy old = policyOf(gpu);
        put(bdf, new LendingStore.Policy(GpuLending.DESK, null, old.idleSeconds()), caller);
        if (cancelJob) {
            cancelWanted.put(bdf, -1L);
        } else {
            cancelWanted.remove(bdf);
        }
        String job = gpu.usedBy();
        audit.record(caller, "gpu.reclaim", bdf, "ok", job == null ? "no job on it"
                : cancelJob ? "cancelling job " + job : "job " + job + " finishes first");
        return settled(bdf);
    }

    /**
     * {@code PUT /v1/gpus/{bdf}/mode}, the toggle: the owner moves a card by hand, which makes its
     * policy ci (vfio) or desk (host), stored before the move as the mode journal is (a move that
     * is refused puts the old policy back). Cards an on-demand or scheduled policy moves are
     * refused: the policy is changed instead.
     */
    public Gpu setMode(Bdf address, GpuMode mode, String caller) {
        String bdf = address.value();
        LendingStore.Policy stored = policies.get(bdf);
        if (stored != null && (GpuLending.ON_DEMAND.equals(stored.policy())
                || GpuLending.SCHEDULE.equals(stored.policy()))) {
            audit.record(caller, "gpu.mode " + mode, bdf, "refused", "lent by its " + stored.policy() + " policy");
            throw DomainException.refused(ProblemCode.LENT_BY_POLICY, "Lent by its policy",
                    bdf + " is lent " + (GpuLending.SCHEDULE.equals(stored.policy()) ? "on a schedule" : "on demand")
                            + ": Rigdesk moves it between the host and CI",
                    "Set its lending instead: rigdesk gpu lend " + bdf + " desk (or ci), or rigdesk gpu reclaim " + bdf);
        }
        Optional<Gpu> gpu = vfio.get(bdf);
        if (gpu.isEmpty() || gpu.get().bootVga()) {
            return vfio.setMode(address, mode, caller); // refuses it with the toggle's own words
        }
        int idle = stored == null ? GpuLending.DEFAULT_IDLE_SECONDS : stored.idleSeconds();
        put(bdf, new LendingStore.Policy(mode == GpuMode.VFIO ? GpuLending.CI : GpuLending.DESK, null, idle), caller);
        try {
            vfio.setMode(address, mode, caller);
        } catch (RuntimeException e) {
            restore(bdf, stored, caller);
            throw e;
        }
        return settled(bdf);
    }

    private void restore(String bdf, LendingStore.Policy old, String caller) {
        if (old == null) {
            policies.remove(bdf);
            try {
                store.remove(bdf);
            } catch (SQLException e) {
                LOG.warning("cannot forget the lending policy of " + bdf + ": " + e.getMessage());
            }
        } else {
            put(bdf, old, caller);
        }
    }

    private Gpu card(String bdf, String action, String caller) {
        return vfio.get(bdf).orElseThrow(() -> {
            audit.record(caller, action, bdf, "rejected", "no such GPU");
            return DomainException.notFound("no GPU at " + bdf + "; GET /v1/gpus lists them");
        });
    }

    /** A card that can never go to vfio-pci (the boot display, no IOMMU, …) is not lent: the reason is the preflight's. */
    private void refuseIfNeverLendable(Gpu gpu, String caller, String policy) {
        if (gpu.is(GpuMode.VFIO)) {
            return;
        }
        List<Gpu.Blocker> lasting = gpu.passthrough().blockers().stream()
                .filter(b -> !b.code().equals(ProblemCode.IN_USE) && !b.code().equals(ProblemCode.BUSY)).toList();
        if (!lasting.isEmpty()) {
            Gpu.Blocker first = lasting.get(0);
            audit.record(caller, "gpu.lending", gpu.bdf(), "refused", first.code());
            throw DomainException.refused(first.code(), "Cannot lend " + gpu.bdf(),
                    gpu.bdf() + " cannot be lent (" + policy + "): " + first.detail(), first.remedy());
        }
    }

    private void put(String bdf, LendingStore.Policy policy, String caller) {
        try {
            store.put(bdf, policy);
        } catch (SQLException e) {
            audit.record(caller, "gpu.lending", bdf, "failed", e.getMessage());
            throw DomainException.failed(ProblemCode.STORE_FAILED, "Cannot store the lending policy", e.getMessage(),
                    "Check the state directory.");
        }
        policies.put(bdf, policy);
    }

    /** Runs one tick now (on the lending thread) so the answer shows where the card is headed. */
    private Gpu settled(String bdf) {
        try {
            thread.submit(this::tickSafely).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.fine(() -> "lending tick after a change: " + e);
        }
        vfio.refresh();
        return vfio.get(bdf).orElseThrow(() -> DomainException.notFound("no GPU at " + bdf));
    }

    // ---- the lending thread ----

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.severe("lending: " + e);
        }
    }

    private void tick() {
        boolean changed = false;
        for (Gpu gpu : vfio.list()) {
            LendingStore.Policy policy = policies.get(gpu.bdf());
            Seen next = policy == null || gpu.bootVga() ? derived(gpu, policyOf(gpu).policy()) : steer(gpu, policy);
            Seen before = seen.get(gpu.bdf());
            if (before == null || before.state() != next.state() || !Objects.equals(before.detail(), next.detail())
                    || !Objects.equals(before.jobId(), next.jobId())) {
                Instant since = before != null && before.state() == next.state() ? before.since() : clock.instant();
                seen.put(gpu.bdf(), new Seen(next.state(), next.detail(), next.jobId(), since));
                changed = true;
            }
        }
        if (changed) {
            vfio.refresh(); // the cards' events carry their lending
        }
    }

    /** One card towards where its policy wants it; returns where it is now. */
    private Seen steer(Gpu gpu, LendingStore.Policy policy) {
        String effective = effective(policy, gpu);
        Borrower pool = borrower.get();
        boolean onDemand = GpuLending.ON_DEMAND.equals(effective);
        boolean wanted = GpuLending.CI.equals(effective) || onDemand && pool.wants(gpu.bdf());
        if (gpu.is(GpuMode.CHANGING) || gpu.is(GpuMode.UNBOUND)) {
            Seen last = seen.get(gpu.bdf());
            return last != null ? last : derived(gpu, effective);
        }
        if (wanted) {
            String why = onDemand ? pool.wantedFor(gpu.bdf()).orElse("a queued job") : null;
            if (gpu.is(GpuMode.VFIO)) {
                retryAt.remove(gpu.bdf());
                return new Seen(LendingState.LENT, words(LendingState.LENT, gpu, why == null ? null : "for " + why),
                        null, null);
            }
            return move(gpu, GpuMode.VFIO, why == null ? "its policy lends it to CI" : "for " + why);
        }
        if (!gpu.is(GpuMode.VFIO)) {
            retryAt.remove(gpu.bdf());
            cancelWanted.remove(gpu.bdf());
            LendingState state = onDemand ? LendingState.STANDBY : LendingState.DESK;
            return new Seen(state, words(state, gpu, null), null, null);
        }
        if (gpu.usedBy() == null) {
            if (onDemand && !pool.knowsQueue()) {
                return new Seen(LendingState.LENT, words(LendingState.LENT, gpu, "reading GitHub's queue before it goes back"),
                        null, null);
            }
            return move(gpu, GpuMode.HOST, onDemand ? "no job wants it any more" : "its policy keeps it on the desk");
        }
        return waitForJob(gpu, Long.parseLong(gpu.usedBy()), pool);
    }

    /** The card is on vfio-pci with a job on it, and should come back. */
    private Seen waitForJob(Gpu gpu, long jobId, Borrower pool) {
        Job job = jobs.get(jobId).orElse(null);
        if (job == null || job.finished()) {
            return new Seen(LendingState.RETURNING, words(LendingState.RETURNING, gpu, "its VM ends"), jobId, null);
        }
        boolean idleRunner = Job.KIND_GITHUB.equals(job.kind()) && !job.is(JobState.RUNNING);
        if (idleRunner && pool.release(gpu.bdf(), "the card goes back to the owner's desk")) {
            return new Seen(LendingState.RETURNING, words(LendingState.RETURNING, gpu, "stopping its idle runner VM"),
                    jobId, null);
        }
        Long cancelled = cancelWanted.get(gpu.bdf());
        if (cancelled != null && cancelled != jobId) {
            cancelWanted.put(gpu.bdf(), jobId);
            try {
                jobs.cancel(jobId, ACTOR);
                audit.record(ACTOR, "gpu.reclaim", gpu.bdf(), "ok", "cancelled job " + jobId + " as the owner asked");
            } catch (DomainException e) {
                LOG.info("cancelling job " + jobId + " for the owner: " + e.getMessage());
            }
        }
        String elapsed = job.startedAt() == null ? "" : ", running for "
                + age(Duration.between(job.startedAt(), clock.instant()));
        String what = cancelled != null ? "cancelling job " + jobId
                : "waiting for job " + jobId + " (" + (job.jobName() != null ? job.jobName() : job.name()) + elapsed + ")";
        return new Seen(LendingState.RETURNING, words(LendingState.RETURNING, gpu, what), jobId, null);
    }

    private Seen move(Gpu gpu, GpuMode mode, String why) {
        Instant now = clock.instant();
        Instant after = retryAt.get(gpu.bdf());
        Seen last = seen.get(gpu.bdf());
        if (after != null && now.isBefore(after) && last != null && last.state() == LendingState.BLOCKED) {
            return last;
        }
        boolean lend = mode == GpuMode.VFIO;
        if (lend) {
            seen.put(gpu.bdf(), new Seen(LendingState.MOVING, words(LendingState.MOVING, gpu, why), null, now));
            vfio.refresh();
        }
        try {
            vfio.setMode(Bdf.parse(gpu.bdf()), mode, ACTOR);
            retryAt.remove(gpu.bdf());
            audit.record(ACTOR, lend ? "gpu.lend" : "gpu.return", gpu.bdf(), "ok", why);
            LOG.info((lend ? "lent " : "gave back ") + gpu.bdf() + ": " + why);
            Gpu moved = vfio.get(gpu.bdf()).orElse(gpu);
            LendingState state = lend ? LendingState.LENT
                    : GpuLending.ON_DEMAND.equals(effective(policyOf(moved), moved)) ? LendingState.STANDBY
                    : LendingState.DESK;
            return new Seen(state, words(state, moved, lend && why.startsWith("for ") ? why : null), null, null);
        } catch (DomainException e) {
            retryAt.put(gpu.bdf(), now.plus(retry));
            // The preflight's words name the card ("0000:02:00.0 is held open by …"): the card says it of itself.
            String reason = e.detail().startsWith(gpu.bdf() + " is ") ? e.detail().substring(gpu.bdf().length() + 4)
                    : e.detail();
            if (last == null || last.state() != LendingState.BLOCKED || !Objects.equals(last.detail(), blockedWords(lend, reason))) {
                audit.record(ACTOR, lend ? "gpu.lend" : "gpu.return", gpu.bdf(), "refused", e.detail());
                LOG.info("cannot " + (lend ? "lend " : "give back ") + gpu.bdf() + " now, trying again in "
                        + retry.toSeconds() + " s: " + e.detail());
            }
            return new Seen(LendingState.BLOCKED, blockedWords(lend, reason), null, null);
        }
    }

    private String blockedWords(boolean lend, String reason) {
        return (lend ? "Wanted for CI, kept on your desk: " : "Cannot come back to the desk yet: ") + reason
                + " (tried again every " + retry.toSeconds() + " s)";
    }

    static String age(Duration duration) {
        long s = Math.max(0, duration.toSeconds());
        return s < 60 ? s + " s" : s < 3600 ? (s / 60) + " min" : (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
