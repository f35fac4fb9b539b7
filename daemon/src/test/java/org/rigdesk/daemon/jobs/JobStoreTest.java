package org.rigdesk.daemon.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Job;
import org.rigdesk.daemon.store.Database;
import org.rigdesk.daemon.store.Migrations;

/** Job history in SQLite: listing, unfinished jobs, and pruning by count and by age. */
class JobStoreTest {

    @TempDir
    Path dir;

    private static Job job(String state, Instant created) {
        return new Job(0, "local", "j", state, List.of(), false, "qemu", "tcg", 1, 256, 60, created, null, null, null,
                0, null, null, null, null, null, null);
    }

    @Test
    void pruningKeepsTheNewestAndTheUnfinishedAndDropsTheOld() throws Exception {
        try (Database database = Database.open(dir.resolve("db"), Migrations.all())) {
            JobStore store = new JobStore(database);
            Instant now = Instant.now();
            Job ancient = store.insert(job(JobState.SUCCEEDED.wire(), now.minus(Duration.ofDays(400))));
            Job old = store.insert(job(JobState.FAILED.wire(), now.minus(Duration.ofDays(2))));
            Job running = store.insert(job(JobState.RUNNING.wire(), now.minus(Duration.ofDays(500))));
            Job recent = store.insert(job(JobState.SUCCEEDED.wire(), now.minus(Duration.ofHours(1))));
            Job newest = store.insert(job(JobState.CANCELLED.wire(), now));
            assertEquals(List.of(running.id()), store.unfinished().stream().map(Job::id).toList());

            // Keep 10 and anything younger than a year: only the 400-day-old job goes.
            assertEquals(List.of(ancient.id()), store.prune(10, now.minus(Duration.ofDays(365))));
            // Keep the newest 2: the old failure goes too; a running job is never pruned, however old.
            assertEquals(List.of(old.id()), store.prune(2, now.minus(Duration.ofDays(365))));
            assertEquals(List.of(newest.id(), recent.id(), running.id()),
                    store.list(null, 100).stream().map(Job::id).toList());
            assertEquals(List.of(recent.id()), store.list(JobState.SUCCEEDED.wire(), 100).stream().map(Job::id).toList());
        }
    }
}
