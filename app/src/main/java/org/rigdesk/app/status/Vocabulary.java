package org.rigdesk.app.status;

import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuLending;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.LendingState;
import org.rigdesk.api.wire.RunnerState;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.api.wire.SlotState;
import org.rigdesk.app.connection.ConnectionState;

/**
 * The one mapping from the daemon's typed states to what the window, the tray and notifications
 * say: owner words first, an icon, a tone, and the technical term kept for a tooltip. An idle
 * runner reads "Waiting for a job" wherever it shows; a GPU in CI's hands "Lent to CI".
 */
public final class Vocabulary {

    public static final String OK = "✓";
    public static final String FAILED = "✗";
    public static final String WORKING = "●";
    public static final String WAITING = "○";
    public static final String MOVING = "↻";
    public static final String LOOK = "⚠";
    public static final String DESK = "⌂";
    public static final String STOPPED = "⊘";
    public static final String PAUSED = "‖";

    /** What an idle runner (a slot's, or the job row of its VM) is doing, in every place it shows. */
    public static final String WAITING_FOR_A_JOB = "Waiting for a job";

    private Vocabulary() {
    }

    public static Look job(JobState state) {
        return switch (state) {
            case QUEUED -> new Look(WAITING, "Queued", Tone.QUIET, "queued");
            case BOOTING -> new Look(MOVING, "Starting…", Tone.MOVING, "booting its VM");
            case READY -> new Look(WAITING, WAITING_FOR_A_JOB, Tone.IDLE, "ready: its runner listens for GitHub");
            case RUNNING -> new Look(WORKING, "Running", Tone.ACTIVE, "running");
            case SUCCEEDED -> new Look(OK, "Succeeded", Tone.GOOD, "succeeded (exit 0)");
            case FAILED -> new Look(FAILED, "Failed", Tone.BAD, "failed");
            case CANCELLED -> new Look(STOPPED, "Cancelled", Tone.QUIET, "cancelled");
            case TIMED_OUT -> new Look(FAILED, "Timed out", Tone.BAD, "timed-out: stopped at its time limit");
            case LOST -> new Look(LOOK, "Lost", Tone.WARN, "lost: the daemon stopped while it ran");
        };
    }

    /** A job's look from its wire state; a state this app does not know reads as itself. */
    public static Look job(Job job) {
        return JobState.of(job.state()).map(Vocabulary::job)
                .orElse(new Look(LOOK, job.state(), Tone.WARN, job.state()));
    }

    public static Look slot(SlotState state) {
        return switch (state) {
            case STARTING -> new Look(MOVING, "Asking GitHub for a runner…", Tone.MOVING, "starting");
            case BOOTING -> new Look(MOVING, "Starting…", Tone.MOVING, "booting its VM");
            case IDLE -> new Look(WAITING, WAITING_FOR_A_JOB, Tone.IDLE, "idle: its runner listens for GitHub");
            case BUSY -> new Look(WORKING, "Running a job", Tone.ACTIVE, "busy");
            case STOPPING -> new Look(MOVING, "Stopping…", Tone.MOVING, "stopping its VM");
            case PAUSED -> new Look(PAUSED, "Paused", Tone.QUIET, "paused: no runner until resumed");
            case WAITING -> new Look(LOOK, "Waiting to try again", Tone.WARN, "waiting: after an error, or for a GPU");
        };
    }

    /** A slot's look, with its job's number while it runs one. */
    public static Look slot(RunnerStatus.Slot slot) {
        Look look = SlotState.of(slot.state()).map(Vocabulary::slot)
                .orElse(new Look(LOOK, slot.state(), Tone.WARN, slot.state()));
        return SlotState.BUSY.wire().equals(slot.state()) && slot.jobId() != null
                ? look.withWords("Running job #" + slot.jobId()) : look;
    }

    public static Look runner(RunnerState state) {
        return switch (state) {
            case NOT_REGISTERED -> new Look(WAITING, "Not set up", Tone.QUIET, "not registered with GitHub");
            case PAUSED -> new Look(PAUSED, "Paused", Tone.WARN, "paused: no new runners until resumed");
            case CANNOT_REACH_GITHUB -> new Look(LOOK, "Can't reach GitHub", Tone.BAD, "backing off; retried by itself");
            case READY -> new Look(OK, "Ready for jobs", Tone.GOOD, "registered; slots kept filled");
        };
    }

    public static Look lending(LendingState state) {
        return switch (state) {
            case LENT -> new Look(WAITING, "Lent to CI", Tone.IDLE, "lent: on vfio-pci");
            case DESK -> new Look(DESK, "On my desk", Tone.QUIET, "desk: on its host driver");
            case STANDBY -> new Look(DESK, "On my desk · lent on demand", Tone.QUIET,
                    "standby: on its host driver until a queued job asks for it");
            case MOVING -> new Look(MOVING, "Moving to CI…", Tone.MOVING, "moving to vfio-pci for a queued job");
            case RETURNING -> new Look(MOVING, "Coming back to my desk…", Tone.MOVING,
                    "returning: its VM stops or its job finishes first");
            case BLOCKED -> new Look(LOOK, "Needs a look", Tone.WARN, "blocked: a move was refused; retried");
        };
    }

    public static Look mode(GpuMode mode) {
        return switch (mode) {
            case HOST -> new Look(DESK, "On my desk", Tone.QUIET, "host: on its own driver");
            case VFIO -> new Look(WAITING, "Lent to CI", Tone.IDLE, "vfio: on vfio-pci, ready for job VMs");
            case CHANGING -> new Look(MOVING, "Moving…", Tone.MOVING, "changing drivers");
            case UNBOUND -> new Look(LOOK, "Needs a look", Tone.WARN, "unbound: no driver");
        };
    }

    /**
     * A GPU card's headline: the job holding it first (running one, or an idle runner waiting for
     * one), then where its lending is on its way, then its mode. {@code holder}: the job in
     * {@link Gpu#usedBy()} when the app knows it.
     */
    public static Look gpu(Gpu gpu, Job holder) {
        GpuMode mode = GpuMode.of(gpu.mode()).orElse(GpuMode.HOST);
        if (gpu.usedBy() != null && mode != GpuMode.HOST) {
            if (holder != null && holder.is(JobState.READY)) {
                return new Look(WAITING, "Lent to CI · " + WAITING_FOR_A_JOB.toLowerCase(java.util.Locale.ROOT),
                        Tone.IDLE, "vfio-pci; an idle runner VM (job " + gpu.usedBy() + ") holds it");
            }
            String repository = holder == null || holder.repository() == null ? "" : " · " + holder.repository();
            return new Look(WORKING, "Running job #" + gpu.usedBy() + repository, Tone.ACTIVE,
                    "vfio-pci, passed to job " + gpu.usedBy() + "'s VM");
        }
        if (gpu.health() != null && !gpu.health().ok()) {
            // Quarantined by the health gate: the badge says so, its tooltip (the term) what is wrong.
            String why = gpu.health().problems().isEmpty() ? "it failed its health check"
                    : gpu.health().problems().get(0).detail();
            return new Look(FAILED, "Quarantined", Tone.BAD, "unhealthy: " + why + "; rigdesk gpu check " + gpu.bdf()
                    + " once fixed");
        }
        GpuLending lending = gpu.lending();
        LendingState on = lending == null ? null : LendingState.of(lending.state()).orElse(null);
        if (on == LendingState.MOVING || on == LendingState.RETURNING || on == LendingState.BLOCKED
                || on == LendingState.STANDBY && mode == GpuMode.HOST) {
            return withTerm(lending(on), mode, gpu);
        }
        return withTerm(mode(mode), mode, gpu);
    }

    private static Look withTerm(Look look, GpuMode mode, Gpu gpu) {
        String driver = gpu.driver() == null ? "no driver" : gpu.driver();
        return new Look(look.icon(), look.words(), look.tone(), look.term() + " (" + mode.wire() + ", " + driver + ")");
    }

    public static Look connection(ConnectionState state) {
        return switch (state) {
            case CONNECTING -> new Look(MOVING, "Connecting…", Tone.MOVING, "opening the daemon's socket");
            case CONNECTED -> new Look(OK, "Connected", Tone.GOOD, "the daemon answers");
            case RECONNECTING -> new Look(MOVING, "Reconnecting…", Tone.WARN, "the event stream broke; retrying");
            case DAEMON_NOT_RUNNING -> new Look(FAILED, "Daemon not running", Tone.BAD, "rigdeskd does not answer on its socket");
        };
    }
}
