package org.rigdesk.api.wire;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A job's state ({@link Job#state()} on the wire) and the moves the daemon may make between them:
 * queued → booting → (ready →) running → one of the five ends; an unfinished job can be cancelled
 * or lost (a daemon killed under it) from any state; an ended job never changes again.
 */
public enum JobState {
    QUEUED("queued"),
    BOOTING("booting"),
    /** A runner slot's VM whose runner listens for GitHub to hand it a job. */
    READY("ready"),
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    CANCELLED("cancelled"),
    TIMED_OUT("timed-out"),
    LOST("lost");

    private static final Set<JobState> ENDS = EnumSet.of(SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, LOST);

    private final String wire;

    JobState(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public boolean finished() {
        return ENDS.contains(this);
    }

    /** Whether a job in this state may next be in {@code next} (staying put is always allowed). */
    public boolean canBecome(JobState next) {
        if (next == this) {
            return true;
        }
        return switch (this) {
            // A queued job never started: it can only start, be cancelled, or be lost.
            case QUEUED -> next == BOOTING || next == CANCELLED || next == LOST;
            case BOOTING -> next != QUEUED;
            case READY -> next != QUEUED && next != BOOTING;
            case RUNNING -> next.finished();
            default -> false;
        };
    }

    /** Every state's wire name, in the order a job passes them. */
    public static List<String> wires() {
        return Arrays.stream(values()).map(JobState::wire).toList();
    }

    public static Optional<JobState> of(String wire) {
        return Arrays.stream(values()).filter(state -> state.wire.equals(wire)).findFirst();
    }
}
