package org.rigdesk.app.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.RunnerState;
import org.rigdesk.api.wire.RunnerStatus;

/**
 * The rig at a glance, for the top of the GPUs page: GPUs lent, jobs running and queued, the
 * runner's health and the last job with its result and age. Pure: tested without a window.
 */
public record Overview(List<Tile> tiles) {

    /** One fact: its title, the value in words, a second line (or ""), and the look that colours it (null: plain). */
    public record Tile(String id, String title, String value, String detail, Look look) {
    }

    public static Overview of(List<Gpu> gpus, List<Job> jobs, RunnerStatus runner, Instant now) {
        List<Gpu> lendable = gpus.stream().filter(g -> !g.bootVga()).toList();
        long lent = lendable.stream().filter(Overview::withCi).count();
        Tile gpuTile = new Tile("overview-gpus", "GPUs lent", lendable.isEmpty() ? "none to lend"
                : lent == 0 ? "All on my desk" : lent + " of " + lendable.size(),
                lent == 0 || lendable.size() == lent ? "" : lendable.size() - lent + " on my desk",
                lent == 0 ? Vocabulary.mode(GpuMode.HOST) : Vocabulary.mode(GpuMode.VFIO));

        long running = jobs.stream().filter(j -> j.is(JobState.RUNNING) || j.is(JobState.BOOTING)).count();
        long queued = jobs.stream().filter(j -> j.is(JobState.QUEUED)).count()
                + (runner == null ? 0 : runner.queued().size());
        Tile jobTile = new Tile("overview-jobs", "Jobs", running + " running", queued + " queued",
                running > 0 ? Vocabulary.job(org.rigdesk.api.wire.JobState.RUNNING) : null);

        RunnerState state = runner == null ? RunnerState.NOT_REGISTERED : runner.state();
        Look health = Vocabulary.runner(state);
        String runnerDetail = "";
        if (runner != null && runner.registered()) {
            long waiting = runner.slots().stream().filter(s -> RunnerStatus.Slot.IDLE.equals(s.state())).count();
            runnerDetail = waiting + (waiting == 1 ? " runner" : " runners") + " waiting for a job";
        }
        Tile runnerTile = new Tile("overview-runner", "Runner", health.words(), runnerDetail, health);

        Optional<Job> last = jobs.stream().filter(Job::finished)
                .max(Comparator.comparing(j -> j.finishedAt() == null ? Instant.EPOCH : j.finishedAt()));
        Tile lastTile = last.map(job -> new Tile("overview-last", "Last job", "#" + job.id() + " "
                        + Vocabulary.job(job).words().toLowerCase(java.util.Locale.ROOT),
                        (job.finishedAt() == null ? "" : Ages.ago(Duration.between(job.finishedAt(), now)))
                                + (job.repository() == null ? "" : " · " + job.repository()),
                        Vocabulary.job(job)))
                .orElse(new Tile("overview-last", "Last job", "None yet", "", null));
        return new Overview(List.of(gpuTile, jobTile, runnerTile, lastTile));
    }

    /** Lent: on vfio-pci, or on its way there (a held runner VM counts, a card coming back does not). */
    private static boolean withCi(Gpu gpu) {
        return gpu.is(GpuMode.VFIO) || gpu.usedBy() != null;
    }
}
