package org.rigdesk.app.tray;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuSample;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.LendingState;
import org.rigdesk.app.format.Elapsed;
import org.rigdesk.api.wire.RunnerStatus;

/**
 * Decides which changes deserve a desktop notification: a job that finished or failed, a GPU
 * that changed mode or whose change was refused, a GPU the health gate quarantined, a card over the temperature threshold (once per
 * card per quarter hour), the daemon lost and back, the runner unable to reach GitHub. Each event
 * is compared with the last one seen, so a repeated event never notifies twice. Pure: no bus,
 * no window.
 */
public final class DesktopAlerts {

    public static final String JOBS = "jobs";
    public static final String GPUS = "gpus";
    public static final String TEMPERATURE = "temperature";
    public static final String DAEMON = "daemon";
    public static final String RUNNER = "runner";
    static final Duration HOT_AGAIN_AFTER = Duration.ofMinutes(15);

    /** A notification to show; {@code category} is what the user can switch off in Settings. */
    public record Alert(String category, String summary, String body, boolean critical) {
    }

    private final Clock clock;
    private final Map<Long, String> jobStates = new HashMap<>();
    private final Map<String, String> gpuModes = new HashMap<>();
    private final Map<String, Instant> hotNotified = new HashMap<>();
    private final Map<String, Boolean> quarantined = new HashMap<>();
    private Boolean connected;
    private String runnerTrouble;

    public DesktopAlerts(Clock clock) {
        this.clock = clock;
    }

    public Optional<Alert> job(Job job) {
        String before = jobStates.put(job.id(), job.state());
        if (!job.finished() || job.state().equals(before) || before == null && job.finishedAt() != null
                && job.finishedAt().isBefore(clock.instant().minusSeconds(60))) {
            return Optional.empty(); // unchanged, still going, or old history seen for the first time
        }
        String what = job.repository() != null ? job.name() : "#" + job.id() + " " + job.name();
        String took = job.startedAt() == null || job.finishedAt() == null ? ""
                : " after " + Elapsed.words(Duration.between(job.startedAt(), job.finishedAt()));
        // The summary in the one vocabulary, with its icon: "✓ Job succeeded", "✗ Job failed".
        org.rigdesk.app.status.Look look = org.rigdesk.app.status.Vocabulary.job(job);
        String summary = look.icon() + " Job " + look.words().toLowerCase(java.util.Locale.ROOT);
        return Optional.of(switch (JobState.of(job.state()).orElse(JobState.FAILED)) {
            case SUCCEEDED, CANCELLED -> new Alert(JOBS, summary, what + took, false);
            default -> new Alert(JOBS, summary, what + took + (job.error() == null ? "" : "\n" + job.error()), true);
        });
    }

    /**
     * A card's lending changed: lent to CI, back on the desk, or refused because the owner uses it
     * (from a daemon that lends; an older one's mode changes are told as such); or the health gate
     * quarantined it, which is told first (critical: the tray asks for a look too).
     */
    public Optional<Alert> gpu(Gpu gpu) {
        Optional<Alert> change = gpu.lending() != null ? lending(gpu) : mode(gpu);
        Optional<Alert> quarantine = quarantine(gpu);
        return quarantine.isPresent() ? quarantine : change;
    }

    /** Once per quarantine: what is wrong and the remedy (a reboot for a card off the bus). */
    private Optional<Alert> quarantine(Gpu gpu) {
        boolean sick = gpu.health() != null && !gpu.health().ok();
        boolean before = Boolean.TRUE.equals(quarantined.put(gpu.bdf(), sick));
        if (!sick || before) {
            return Optional.empty();
        }
        String card = gpu.name() + " (" + gpu.bdf() + ")";
        String why = gpu.health().problems().stream().map(Gpu.Blocker::detail).findFirst().orElse("it failed its check");
        String remedy = gpu.health().problems().stream().map(Gpu.Blocker::remedy).filter(r -> r != null)
                .findFirst().orElse("Check it again: rigdesk gpu check " + gpu.bdf());
        return Optional.of(new Alert(GPUS, org.rigdesk.app.status.Vocabulary.FAILED + " GPU quarantined", card
                + ": no job gets it; " + why + ".\n" + remedy, true));
    }

    private Optional<Alert> mode(Gpu gpu) {
        String before = gpuModes.put(gpu.bdf(), gpu.mode());
        if (before == null || before.equals(gpu.mode()) || gpu.is(GpuMode.CHANGING)) {
            return Optional.empty();
        }
        String now = gpu.is(GpuMode.VFIO) ? "on vfio-pci, ready for job VMs"
                : gpu.is(GpuMode.HOST) ? "back on its host driver (" + gpu.driver() + ")" : gpu.mode();
        return Optional.of(new Alert(GPUS, "GPU mode changed", gpu.name() + " (" + gpu.bdf() + ") is " + now, false));
    }

    private Optional<Alert> lending(Gpu gpu) {
        String state = gpu.lending().state();
        String before = gpuModes.put(gpu.bdf(), state);
        if (before == null || before.equals(state)) {
            return Optional.empty();
        }
        String card = gpu.name() + " (" + gpu.bdf() + ")";
        return switch (LendingState.of(state).orElse(LendingState.MOVING)) {
            case DESK, STANDBY -> LendingState.LENT.wire().equals(before) || LendingState.RETURNING.wire().equals(before)
                    || LendingState.BLOCKED.wire().equals(before)
                    ? Optional.of(new Alert(GPUS, org.rigdesk.app.status.Vocabulary.lending(LendingState.DESK).text()
                    + " again", card + " is on its host driver again"
                    + (gpu.driver() == null ? "" : " (" + gpu.driver() + ")") + ".", false)) : Optional.empty();
            case LENT -> Optional.of(new Alert(GPUS, org.rigdesk.app.status.Vocabulary.lending(LendingState.LENT).text(),
                    card + ": " + gpu.lending().detail(), false));
            case BLOCKED -> Optional.of(new Alert(GPUS, org.rigdesk.app.status.Vocabulary.DESK + " Kept on my desk", card + ": "
                    + gpu.lending().detail(), false));
            case MOVING, RETURNING -> Optional.empty();
        };
    }

    public Optional<Alert> refused(String bdf, String detail) {
        if (detail == null || detail.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new Alert(GPUS, "GPU change refused", bdf + ": " + detail, true));
    }

    /** Over {@code thresholdC}: notify, then not again for that card for a quarter hour. */
    public Optional<Alert> sample(GpuSample sample, double thresholdC) {
        if (sample.temperatureC() == null || sample.temperatureC() < thresholdC) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant last = hotNotified.get(sample.bdf());
        if (last != null && last.plus(HOT_AGAIN_AFTER).isAfter(now)) {
            return Optional.empty();
        }
        hotNotified.put(sample.bdf(), now);
        return Optional.of(new Alert(TEMPERATURE, "GPU running hot", (sample.name() == null ? sample.bdf()
                : sample.name() + " (" + sample.bdf() + ")") + " is at " + Math.round(sample.temperatureC())
                + " °C (threshold " + Math.round(thresholdC) + " °C)", true));
    }

    public Optional<Alert> connection(boolean nowConnected) {
        Boolean before = connected;
        connected = nowConnected;
        if (before == null || before == nowConnected) {
            return Optional.empty();
        }
        return Optional.of(nowConnected ? new Alert(DAEMON, "rigdeskd is back", "Rigdesk is connected again.", false)
                : new Alert(DAEMON, "rigdeskd lost", "The daemon stopped answering; running jobs are not "
                + "watched until it is back.", true));
    }

    public Optional<Alert> runner(RunnerStatus status) {
        String trouble = status == null || !status.registered() ? null : status.github();
        String before = runnerTrouble;
        runnerTrouble = trouble;
        if (trouble != null && before == null) {
            return Optional.of(new Alert(RUNNER, org.rigdesk.app.status.Vocabulary.runner(
                    org.rigdesk.api.wire.RunnerState.CANNOT_REACH_GITHUB).text(), "The runner cannot reach GitHub: "
                    + trouble, true));
        }
        if (trouble == null && before != null) {
            return Optional.of(new Alert(RUNNER, org.rigdesk.app.status.Vocabulary.runner(
                    org.rigdesk.api.wire.RunnerState.READY).text(), "GitHub answers again.", false));
        }
        return Optional.empty();
    }
}
