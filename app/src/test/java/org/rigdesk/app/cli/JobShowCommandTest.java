package org.rigdesk.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.app.testing.InMemoryRigdesk;

/**
 * {@code rigdesk jobs show N [--network]} on the in-memory daemon: what it prints of a job and its
 * network (running one through a real daemon and VM is {@link JobCommandsTest}'s).
 */
class JobShowCommandTest {

    private final InMemoryRigdesk daemon = new InMemoryRigdesk().with(new Job(1, Job.KIND_LOCAL, "echo hi",
            JobState.SUCCEEDED.wire(), List.of(), false, "qemu", "tcg", 1, 512, 3600,
            Instant.parse("2026-12-06T10:00:00Z"), Instant.parse("2026-12-06T10:00:01Z"),
            Instant.parse("2026-12-06T10:00:05Z"), 0, 3, null, null, null, null, null, null));

    @Test
    void showsAJobAndSaysWhenItHadNoNetwork() {
        CliRuns.Run show = InfoCommandTest.runOver(daemon, "jobs", "show", "1", "--network");
        assertEquals(0, show.code(), show.err());
        assertTrue(show.out().startsWith("job 1  succeeded  exit 0"), show.out());
        assertTrue(show.out().contains("no network: the job's VM had no network card"), show.out());
        assertEquals(List.of("job 1", "network 1"), daemon.calls.stream().filter(c -> !c.startsWith("info")).toList());
        CliRuns.Run json = InfoCommandTest.runOver(daemon, "jobs", "show", "1", "--network", "--json");
        assertTrue(json.out().contains("\"enabled\" : false"), json.out());
    }

    @Test
    void anUnknownJobIsTheDaemonsNotFound() {
        CliRuns.Run missing = InfoCommandTest.runOver(daemon, "jobs", "show", "99");
        assertEquals(RigdeskCommand.EXIT_REFUSED, missing.code(), missing.out());
        assertTrue(missing.err().contains("no job 99"), missing.err());
    }
}
