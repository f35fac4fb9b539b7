package org.rigdesk.daemon.runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuLending;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.api.wire.SlotState;
import org.rigdesk.daemon.github.GitHubApi;
import org.rigdesk.daemon.store.AuditStore;

/**
 * GitHub's queue against the pool's runners: each queued job is matched to a runner of ours that
 * could take it (an idle or booting one, or an on-demand slot made for it), and a job nothing
 * serves yet gets an on-demand card lent for it — a slot of its own, which ends with its one job.
 * A job matches a runner as GitHub matches them: every label it asks for is on the runner.
 * Touched only on the pool's thread, except {@link #wanted()}, which the lending thread reads.
 */
final class OnDemandMatcher {

    private static final Logger LOG = Logger.getLogger(OnDemandMatcher.class.getName());
    private static final String ACTOR = "rigdeskd";
    /** How long a queued job no runner of ours took is left alone after an on-demand card waited for it. */
    private static final Duration PASSED_OVER = Duration.ofMinutes(10);

    /** What the matcher asks of the pool that owns the slots. */
    interface Slots {
        List<Slot> all();

        void stop(Slot slot, String reason);

        /** The cards wanted changed: the lending thread reads them again; {@code wake} it now. */
        void wantedChanged(boolean wake);
    }

    private final Slots slots;
    private final PoolCards cards;
    private final AuditStore audit;
    private final Clock clock;
    private final boolean cpuSlots;
    /** GitHub's queue as the last poll saw it, oldest first. */
    private List<GitHubApi.QueuedJob> queued = List.of();
    /** On-demand slots by the card lent for them. */
    private final Map<String, Slot> demands = new LinkedHashMap<>();
    /** Queued jobs an on-demand card waited for in vain: not lent for again before the time. */
    private final Map<Long, Instant> passedOver = new HashMap<>();
    private volatile Map<String, String> wanted = Map.of();
    private volatile List<RunnerStatus.QueuedJob> view = List.of();

    OnDemandMatcher(Slots slots, PoolCards cards, AuditStore audit, Clock clock, boolean cpuSlots) {
        this.slots = slots;
        this.cards = cards;
        this.audit = audit;
        this.clock = clock;
        this.cpuSlots = cpuSlots;
    }

    /** GitHub's queue as a poll just read it (empty when GitHub refused to show it). */
    void queue(List<GitHubApi.QueuedJob> jobs) {
        queued = List.copyOf(jobs);
    }

    /** The queued jobs one of our runners could take, with what each waits for. */
    List<RunnerStatus.QueuedJob> view() {
        return view;
    }

    /** The cards lent on demand, with the job each is lent for in words (read by the lending thread). */
    Map<String, String> wanted() {
        return wanted;
    }

    /** Cards lent to a queued job: no warm slot takes them. */
    Set<String> lentCards() {
        return Set.copyOf(demands.keySet());
    }

    /** Matches the queue to our runners and lends a card to each job nothing serves. */
    void match(Instant now) {
        passedOver.values().removeIf(until -> until.isBefore(now));
        List<Gpu> all = cards.all();
        Set<Long> waiting = new HashSet<>();
        queued.forEach(job -> waiting.add(job.id()));
        for (Slot slot : List.copyOf(demands.values())) {
            if (!slot.hasVm() && !waiting.contains(slot.forQueuedJob)) {
                drop(slot, "its job left GitHub's queue before the card was lent");
            }
        }
        Set<Slot> taken = new HashSet<>();
        List<RunnerStatus.QueuedJob> next = new ArrayList<>();
        for (GitHubApi.QueuedJob job : queued) {
            Optional<Slot> serving = demands.values().stream()
                    .filter(s -> !taken.contains(s) && Long.valueOf(job.id()).equals(s.forQueuedJob)).findFirst()
                    .or(() -> slots.all().stream().filter(s -> !taken.contains(s) && mayTake(s)
                            && RunnerLabels.matches(job.labels(), cards.of(s))).findFirst());
            if (serving.isPresent()) {
                Slot slot = serving.get();
                taken.add(slot);
                if (slot.pinned != null && slot.state == SlotState.WAITING && !slot.hasVm()) {
                    retarget(slot, job, all);
                }
                next.add(shown(job, slot.gpuBdf != null ? slot.gpuBdf : slot.pinned, servedBy(slot)));
                continue;
            }
            Instant after = passedOver.get(job.id());
            if (after != null) {
                next.add(shown(job, null, "no runner of ours took it; lent for again after " + after));
                continue;
            }
            Optional<Gpu> card = lendable(job, all, null);
            if (card.isPresent()) {
                taken.add(demand(card.get(), job));
                next.add(shown(job, card.get().bdf(), "an on-demand GPU on its way to a VM"));
            } else if (couldServe(job, all)) {
                next.add(shown(job, null, "every runner of ours that fits is busy"));
            }
        }
        view = List.copyOf(next);
    }

    /** An on-demand slot whose runner listened and took no job in time: the card goes back. */
    void timedOut(Slot slot, Instant now) {
        passedOver.put(slot.forQueuedJob, now.plus(PASSED_OVER));
    }

    /**
     * The VM of an on-demand slot ended: the slot goes, and the card with it. What the pool knows
     * of the queue is up to a poll old, so its job is not lent for again before {@code nextRead}.
     */
    void ended(Slot slot, Job job, String stopReason, Instant nextRead) {
        boolean tookJob = job.jobName() != null;
        slots.all().remove(slot);
        demands.remove(slot.pinned);
        Instant notBefore = !tookJob && stopReason == null ? clock.instant().plus(Duration.ofMinutes(1)) : nextRead;
        passedOver.merge(slot.forQueuedJob, notBefore, (a, b) -> a.isAfter(b) ? a : b);
        audit.record(ACTOR, "runner.on-demand", slot.pinned, tookJob ? "ok" : stopReason != null ? "stopped" : "failed",
                tookJob ? "job " + job.id() + " " + job.state() + "; the card goes back"
                        : stopReason != null ? stopReason : "its VM ended before it took a job: " + job.error());
        publish(false);
    }

    /** Every on-demand slot goes (its VM stops, if it has one). */
    void dropAll(String reason) {
        List.copyOf(demands.values()).forEach(slot -> drop(slot, reason));
    }

    private String servedBy(Slot slot) {
        if (slot.pinned == null || slot.hasVm()) {
            return "runner " + (slot.runnerName == null ? slot.key : slot.runnerName) + " (" + slot.state.wire() + ")";
        }
        return PoolCards.blocked(cards.card(slot.pinned)) ? "an on-demand GPU its owner is using (tried again)"
                : "an on-demand GPU on its way to a VM";
    }

    /** A slot that may take a queued job now or soon: its VM boots or listens, or it is an on-demand slot still waiting for its card. */
    private static boolean mayTake(Slot slot) {
        if (slot.stopReason != null || slot.state == SlotState.BUSY || slot.state == SlotState.STOPPING) {
            return false;
        }
        return slot.hasVm() || slot.pinned != null;
    }

    /** An on-demand card on the host (or free on vfio-pci) whose runner would carry every label the job asks for. */
    private Optional<Gpu> lendable(GitHubApi.QueuedJob job, List<Gpu> all, String besides) {
        return all.stream()
                .filter(g -> PoolCards.lentAs(g, GpuLending.ON_DEMAND))
                .filter(g -> !g.bdf().equals(besides) && !demands.containsKey(g.bdf()))
                .filter(g -> g.is(GpuMode.HOST) || g.is(GpuMode.VFIO) && g.usedBy() == null)
                .filter(g -> !PoolCards.blocked(g))
                .filter(g -> RunnerLabels.matches(job.labels(), cards.gpuLabels(g.bdf())))
                .sorted(Comparator.comparing(Gpu::bdf)).findFirst();
    }

    /** Whether any runner of ours could ever take the job (it is listed then, even while none is free). */
    private boolean couldServe(GitHubApi.QueuedJob job, List<Gpu> all) {
        if (cpuSlots && RunnerLabels.matches(job.labels(), cards.cpuLabels())) {
            return true;
        }
        return all.stream().filter(g -> g.lending() != null && !PoolCards.lentAs(g, GpuLending.DESK))
                .anyMatch(g -> RunnerLabels.matches(job.labels(), cards.gpuLabels(g.bdf())));
    }

    private Slot demand(Gpu card, GitHubApi.QueuedJob job) {
        String words = "job " + job.name() + " of " + job.repository();
        Slot slot = Slot.onDemand(card.bdf(), job.id(), words, clock);
        slot.to(SlotState.WAITING, "moving " + card.bdf() + " to vfio-pci for " + words);
        slots.all().add(slot);
        demands.put(card.bdf(), slot);
        audit.record(ACTOR, "runner.on-demand", card.bdf(), "ok", "lending it for queued " + words
                + " (labels " + job.labels() + ")");
        LOG.info("lending on-demand " + card.bdf() + " for queued " + words);
        publish(true);
        return slot;
    }

    /** The owner is using the card a job waits for: another on-demand card that fits takes over, if there is one. */
    private void retarget(Slot slot, GitHubApi.QueuedJob job, List<Gpu> all) {
        if (!PoolCards.blocked(cards.card(slot.pinned))) {
            return;
        }
        lendable(job, all, slot.pinned).ifPresent(other -> {
            drop(slot, slot.pinned + " is in use on the desk; " + other.bdf() + " takes the job");
            demand(other, job);
        });
    }

    private void drop(Slot slot, String reason) {
        if (slot.hasVm()) {
            if (slot.stopReason == null) {
                slots.stop(slot, reason);
            }
            return;
        }
        slots.all().remove(slot);
        demands.remove(slot.pinned);
        audit.record(ACTOR, "runner.on-demand", slot.pinned, "dropped", reason);
        publish(false);
    }

    private void publish(boolean wake) {
        Map<String, String> next = new LinkedHashMap<>();
        demands.forEach((bdf, slot) -> next.put(bdf, slot.forWords));
        wanted = Map.copyOf(next);
        slots.wantedChanged(wake);
    }

    private static RunnerStatus.QueuedJob shown(GitHubApi.QueuedJob job, String gpu, String waitingFor) {
        return new RunnerStatus.QueuedJob(job.repository(), job.runId(), job.id(), job.name(), job.labels(), gpu,
                waitingFor);
    }
}
