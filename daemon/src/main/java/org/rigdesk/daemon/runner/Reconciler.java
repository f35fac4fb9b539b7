package org.rigdesk.daemon.runner;

import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.logging.Logger;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.SlotState;
import org.rigdesk.daemon.github.GitHubApi;
import org.rigdesk.daemon.github.GitHubRunner;
import org.rigdesk.daemon.jobs.JobEngine;
import org.rigdesk.daemon.store.AuditStore;

/**
 * GitHub's list of our runners against the pool's slots, since nothing waits on webhooks: a runner
 * no VM serves is deleted (never a busy one), an idle runner GitHub no longer lists or keeps calling
 * offline is recycled, and a VM whose job GitHub says is over is stopped after a grace.
 * Runs on the pool's thread; {@code stop} is the pool's.
 */
final class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class.getName());
    private static final String ACTOR = "rigdeskd";

    private final GitHubApi github;
    private final JitRunners jitRunners;
    private final JobEngine jobs;
    private final AuditStore audit;
    private final RunnerPool.Config config;
    private final BiConsumer<Slot, String> stop;

    Reconciler(GitHubApi github, JitRunners jitRunners, JobEngine jobs, AuditStore audit, RunnerPool.Config config,
               BiConsumer<Slot, String> stop) {
        this.github = github;
        this.jitRunners = jitRunners;
        this.jobs = jobs;
        this.audit = audit;
        this.config = config;
        this.stop = stop;
    }

    /** Our runners as GitHub lists them now (by the host's name prefix). */
    List<GitHubRunner> list() throws IOException {
        return github.listRunners().stream().filter(r -> r.name().startsWith(config.ownedPrefix())).toList();
    }

    void reconcile(List<GitHubRunner> listed, List<Slot> slots, Instant now) {
        Set<Long> served = new HashSet<>();
        slots.stream().filter(s -> s.runnerId != null).forEach(s -> served.add(s.runnerId));
        for (GitHubRunner runner : listed) {
            if (!served.contains(runner.id()) && !runner.busy()) {
                LOG.info("deleting runner " + runner.name() + ": no VM of ours serves it");
                audit.record(ACTOR, "runner.cleanup", runner.name(), "ok", "no VM serves it (" + runner.status() + ")");
                jitRunners.deleteQuietly(runner.id());
            }
        }
        for (Slot slot : slots) {
            if (slot.runnerId == null || slot.stopReason != null) {
                continue;
            }
            Optional<GitHubRunner> seen = listed.stream().filter(r -> r.id() == slot.runnerId).findFirst();
            if (slot.state == SlotState.IDLE) {
                if (seen.isEmpty()) {
                    stop.accept(slot, "GitHub no longer lists runner " + slot.runnerName);
                } else if (!seen.get().online() && slot.listeningSince != null
                        && slot.listeningSince.plus(config.offlineGrace()).isBefore(now)) {
                    stop.accept(slot, "runner " + slot.runnerName + " stayed offline on GitHub for "
                            + config.offlineGrace().toMinutes() + " min after it started listening");
                }
            } else if (slot.state == SlotState.BUSY) {
                checkJobOnGitHub(slot, now);
            }
        }
    }

    /** A VM still running a job GitHub calls completed (cancelled in the UI, say) is stopped after a grace. */
    private void checkJobOnGitHub(Slot slot, Instant now) {
        Job job = jobs.get(slot.jobId).orElse(null);
        if (job == null || job.repository() == null || job.runId() == null) {
            return;
        }
        try {
            Optional<GitHubApi.WorkflowJob> ours = github.jobsOfRun(job.repository(), job.runId(),
                    job.runAttempt() == null ? 1 : job.runAttempt()).stream()
                    .filter(j -> slot.runnerName.equals(j.runnerName())).findFirst();
            if (ours.isPresent() && "completed".equals(ours.get().status())) {
                if (slot.completedOnGitHubSince == null) {
                    slot.completedOnGitHubSince = now;
                } else if (slot.completedOnGitHubSince.plus(config.jobGrace()).isBefore(now)) {
                    stop.accept(slot, "GitHub says the job is over (" + ours.get().conclusion() + ") but its VM still ran");
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.fine(() -> "job status of " + job.repository() + " run " + job.runId() + ": " + e.getMessage());
        }
    }
}
