package org.rigdesk.daemon.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The guest contract's control lines, parsed once: whatever the guest writes, a typed event or nothing. */
class GuestEventTest {

    @Test
    void theContractsEventsBecomeTheirTypes() {
        assertEquals(Optional.of(new GuestEvent.Started()), GuestEvent.parse("{\"event\":\"started\"}"));
        assertEquals(Optional.of(new GuestEvent.Exit(3)), GuestEvent.parse("{\"event\":\"exit\",\"code\":3}"));
        assertEquals(Optional.of(new GuestEvent.Exit(-1)), GuestEvent.parse("{\"event\":\"exit\",\"code\":\"x\"}"));
        assertEquals(Optional.of(new GuestEvent.RunnerListening()),
                GuestEvent.parse("{\"event\":\"runner\",\"state\":\"listening\"}"));
        assertEquals(Optional.of(new GuestEvent.JobStarted("octo/gpu-ci", "GPU", "transcribe", 42L, 2)),
                GuestEvent.parse("{\"event\":\"job-started\",\"repository\":\"octo/gpu-ci\",\"workflow\":\"GPU\","
                        + "\"job\":\"transcribe\",\"runId\":42,\"runAttempt\":2}"));
        assertEquals(Optional.of(new GuestEvent.JobResult("Succeeded")),
                GuestEvent.parse("{\"event\":\"job-result\",\"result\":\"Succeeded\"}"));
        assertTrue(GuestEvent.parse("{\"event\":\"sample\",\"utilization\":5}").orElseThrow()
                instanceof GuestEvent.Sample);
    }

    @Test
    void oddValuesFromTheGuestAreDroppedNotTrusted() {
        GuestEvent.JobStarted started = (GuestEvent.JobStarted) GuestEvent.parse("{\"event\":\"job-started\","
                + "\"repository\":\"  \",\"runId\":\"42\",\"runAttempt\":99999999999}").orElseThrow();
        assertEquals(new GuestEvent.JobStarted(null, null, null, null, null), started);
        assertEquals(Optional.of(new GuestEvent.Other("runner")),
                GuestEvent.parse("{\"event\":\"runner\",\"state\":\"busy\"}"), "a sign of life only");
        assertEquals(Optional.of(new GuestEvent.Other("")), GuestEvent.parse("{}"));
        for (String junk : new String[] {"", "hello", "[1,2]", "null", "42", "{\"event\":", "\u0000"}) {
            assertEquals(Optional.empty(), GuestEvent.parse(junk), junk);
        }
    }

    @Test
    void namesFromTheGuestAreTextWithoutControlCharactersAndCutShort() {
        GuestEvent.JobStarted started = (GuestEvent.JobStarted) GuestEvent.parse("{\"event\":\"job-started\","
                + "\"repository\":\"octo/\\u001b[31mred\\u0007\",\"workflow\":\"" + "w".repeat(5000) + "\","
                + "\"job\":{\"nested\":1}}").orElseThrow();
        assertEquals("octo/?[31mred?", started.repository());
        assertEquals("w".repeat(GuestEvent.MAX_TEXT) + "…", started.workflow());
        assertEquals(null, started.job(), "not text: dropped");
    }
}
