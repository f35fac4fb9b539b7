package org.rigdesk.api.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The job lifecycle's allowed moves, and the enum in step with the wire's names. */
class JobStateTest {

    @Test
    void theLifecycleMovesForwardOnly() {
        assertTrue(JobState.QUEUED.canBecome(JobState.BOOTING));
        assertTrue(JobState.BOOTING.canBecome(JobState.READY));
        assertTrue(JobState.READY.canBecome(JobState.RUNNING));
        assertTrue(JobState.BOOTING.canBecome(JobState.FAILED), "a VM that never printed");
        assertTrue(JobState.RUNNING.canBecome(JobState.TIMED_OUT));
        assertTrue(JobState.QUEUED.canBecome(JobState.CANCELLED));
        assertFalse(JobState.QUEUED.canBecome(JobState.RUNNING), "no job runs without booting");
        assertFalse(JobState.RUNNING.canBecome(JobState.READY));
        assertFalse(JobState.READY.canBecome(JobState.BOOTING));
        for (JobState end : List.of(JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED, JobState.TIMED_OUT,
                JobState.LOST)) {
            assertTrue(end.finished());
            for (JobState other : JobState.values()) {
                assertEquals(other == end, end.canBecome(other), end + " → " + other);
            }
        }
    }

    @Test
    void theWireNamesAreTheContracts() {
        // docs/api: GET /v1/jobs?state= takes exactly these
        assertEquals(java.util.List.of("queued", "booting", "ready", "running", "succeeded", "failed", "cancelled",
                "timed-out", "lost"), JobState.wires());
        for (JobState state : JobState.values()) {
            assertEquals(state, JobState.of(state.wire()).orElseThrow());
        }
        assertTrue(JobState.of("paused").isEmpty(), "a state this build does not know is none of them");
    }
}
