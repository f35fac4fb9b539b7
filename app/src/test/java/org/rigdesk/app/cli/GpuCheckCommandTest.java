package org.rigdesk.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.Problem;
import org.rigdesk.app.testing.InMemoryRigdesk;

/** {@code rigdesk gpu check} on the in-memory daemon: what it asks and how it reports. */
class GpuCheckCommandTest {

    private static final String CARD = "0000:01:00.0";
    private final InMemoryRigdesk daemon = new InMemoryRigdesk()
            .with(InMemoryRigdesk.gpu(CARD, "GeForce RTX 3060", GpuMode.VFIO, null));

    private CliRuns.Run run(String... args) {
        return InfoCommandTest.runOver(daemon, args);
    }

    @Test
    void aHealthyCardSaysItCanBeGivenToJobs() {
        CliRuns.Run run = run("gpu", "check", CARD, "--reset");
        assertEquals(0, run.code(), run.err());
        assertEquals(List.of("check " + CARD + " reset"), daemon.calls);
        assertTrue(run.out().contains(CARD + " (GeForce RTX 3060) is healthy: it can be given to jobs"), run.out());
    }

    @Test
    void anUnhealthyCardExitsOneWithEachProblemAndItsRemedy() {
        daemon.checkResult = new Gpu.Health(false, "2026-12-06T12:00:00Z",
                List.of(new Gpu.Blocker("unhealthy", "the link trained at x1 of x16", "Reseat the card")));
        CliRuns.Run run = run("gpu", "check", CARD);
        assertEquals(1, run.code(), run.out());
        assertEquals(List.of("check " + CARD), daemon.calls);
        assertTrue(run.out().contains("is unhealthy and quarantined"), run.out());
        assertTrue(run.out().contains("the link trained at x1 of x16\n    what to do: Reseat the card"), run.out());
    }

    @Test
    void aMalformedAddressIsRefusedBeforeAnyCall() {
        CliRuns.Run run = run("gpu", "check", "01:00.0;reboot");
        assertEquals(2, run.code(), run.out());
        assertEquals(List.of(), daemon.calls);
    }

    @Test
    void theDaemonsRefusalIsPrintedAsItSaidIt() {
        daemon.refuseNext = Problem.of(409, "busy", "Busy", CARD + " is held by job 7", "Wait for job 7 to finish");
        CliRuns.Run run = run("gpu", "check", CARD, "--reset");
        assertEquals(RigdeskCommand.EXIT_REFUSED, run.code(), run.out());
        assertTrue(run.err().contains(CARD + " is held by job 7"), run.err());
        assertTrue(run.err().contains("Wait for job 7 to finish"), run.err());
    }
}
