package org.rigdesk.daemon.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The guest's events are taken in their order, once, for what the job is and holds, at a bounded rate. */
class EventGateTest {

    private static GuestEvent event(String json) {
        return GuestEvent.parse(json).orElseThrow();
    }

    @Test
    void aLocalJobTakesStartedThenOneExitAndNothingAfter() {
        EventGate gate = new EventGate(false, 1, 0);
        assertFalse(gate.admit(event("{\"event\":\"exit\",\"code\":0}")), "exit before started");
        assertTrue(gate.admit(event("{\"event\":\"started\"}")));
        assertFalse(gate.admit(event("{\"event\":\"started\"}")));
        assertTrue(gate.admit(event("{\"event\":\"sample\",\"gpus\":[{}]}")));
        assertFalse(gate.admit(event("{\"event\":\"sample\",\"gpus\":[{},{}]}")), "a GPU the job does not hold");
        assertFalse(gate.admit(event("{\"event\":\"runner\",\"state\":\"listening\"}")));
        assertTrue(gate.admit(event("{\"event\":\"exit\",\"code\":3}")));
        assertFalse(gate.admit(event("{\"event\":\"exit\",\"code\":0}")));
        assertTrue(gate.admit(event("{\"event\":\"ready\"}")), "unknown kinds are a sign of life, not refused");
        assertEquals(Optional.of("1 × 'exit' before 'started', 1 × a second 'started', 1 × events after 'exit', "
                + "1 × runner events from a local job, 1 × samples for GPUs the job does not hold"), gate.summary());
    }

    @Test
    void aRunnerVmTakesListeningJobStartedAndOneResultInOrder() {
        EventGate gate = new EventGate(true, 0, 0);
        assertFalse(gate.admit(event("{\"event\":\"started\"}")));
        assertFalse(gate.admit(event("{\"event\":\"job-result\",\"result\":\"Succeeded\"}")), "result before job");
        assertTrue(gate.admit(event("{\"event\":\"runner\",\"state\":\"listening\"}")));
        assertTrue(gate.admit(event("{\"event\":\"job-started\",\"repository\":\"octo/x\"}")));
        assertFalse(gate.admit(event("{\"event\":\"job-started\",\"repository\":\"octo/y\"}")));
        assertFalse(gate.admit(event("{\"event\":\"sample\",\"gpus\":[{}]}")), "a CPU slot holds no GPU");
        assertTrue(gate.admit(event("{\"event\":\"job-result\",\"result\":\"Failed\"}")));
        assertFalse(gate.admit(event("{\"event\":\"job-result\",\"result\":\"Succeeded\"}")));
        assertTrue(gate.admit(event("{\"event\":\"exit\",\"code\":0}")), "a runner VM's exit needs no 'started'");
    }

    @Test
    void aFloodIsCutToTheRateAfterItsBurst() {
        EventGate gate = new EventGate(false, 0, 0);
        int allowed = 0;
        for (int i = 0; i < 10_000; i++) {
            allowed += gate.allowLine(0) ? 1 : 0; // all at one instant
        }
        assertEquals(EventGate.BURST, allowed);
        assertTrue(gate.allowLine(1_000_000_000L / EventGate.PER_SECOND), "one line a tick later");
        assertFalse(gate.allowLine(1_000_000_000L / EventGate.PER_SECOND));
        assertEquals(Optional.of((10_000 - EventGate.BURST + 1) + " × lines past 100 a second"), gate.summary());
    }
}
