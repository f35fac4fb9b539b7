package org.rigdesk.app.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.app.testing.InMemoryRigdesk;

/** The rig at a glance: GPUs lent, jobs, the runner's health, the last job with its age. */
class OverviewTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void countsLentGpusJobsAndSaysTheLastResultAndItsAge() {
        Gpu lent = InMemoryRigdesk.gpu("0000:01:00.0", "RTX 3060", GpuMode.VFIO, "7");
        Gpu desk = InMemoryRigdesk.gpu("0000:02:00.0", "RTX 3060", GpuMode.HOST, null);
        Gpu boot = new Gpu("0000:00:02.0", "8086", "4680", "Intel", "iGPU", "030000", "i915", "host", 3, true, 0, null,
                List.of(), new Gpu.Passthrough(false, List.of()), null);
        Job ready = InMemoryRigdesk.job(7, JobState.READY.wire(), List.of("0000:01:00.0"));
        Job failed = finished(5, JobState.FAILED.wire(), NOW.minusSeconds(200));
        Job older = finished(4, JobState.SUCCEEDED.wire(), NOW.minusSeconds(4000));
        Job queued = InMemoryRigdesk.job(8, JobState.QUEUED.wire(), List.of());
        RunnerStatus.Slot idle = new RunnerStatus.Slot("gpu-0", "gpu", "0000:01:00.0", "idle", "r", 1L, null, null,
                null, List.of());
        RunnerStatus runner = new RunnerStatus(true, "octo/gpu-ci", "https://github.com/octo/gpu-ci", null, List.of(),
                "rigdesk", 1, 1, 0, null, List.of(), null, null, "", false, "rigdesk-", 1, 1024, List.of(idle), null,
                "open", List.of(), 15, List.of(new RunnerStatus.QueuedJob("octo/gpu-ci", 42L, 1L, "test", List.of(),
                null, "a runner")), null, List.of(), "token", null, null, null, "gpu", List.of(), null);

        Overview overview = Overview.of(List.of(lent, desk, boot), List.of(queued, ready, failed, older), runner, NOW);
        List<Overview.Tile> tiles = overview.tiles();
        assertEquals("1 of 2", tiles.get(0).value(), "the boot display is not counted as lendable");
        assertEquals("1 on my desk", tiles.get(0).detail());
        assertEquals("0 running", tiles.get(1).value(), "an idle runner VM is not a running job");
        assertEquals("2 queued", tiles.get(1).detail(), "one here, one on GitHub");
        assertEquals("Ready for jobs", tiles.get(2).value());
        assertEquals("1 runner waiting for a job", tiles.get(2).detail());
        assertEquals("#5 failed", tiles.get(3).value(), "the newest end, not the newest id");
        assertEquals("3 min ago", tiles.get(3).detail());
        assertEquals(Tone.BAD, tiles.get(3).look().tone());

        Overview empty = Overview.of(List.of(desk), List.of(), null, NOW);
        assertEquals("All on my desk", empty.tiles().get(0).value());
        assertEquals("Not set up", empty.tiles().get(2).value());
        assertEquals("None yet", empty.tiles().get(3).value());
    }

    @Test
    void agesReadAsAPersonSaysThem() {
        assertEquals("just now", Ages.ago(Duration.ofMillis(300)));
        assertEquals("12 s ago", Ages.ago(Duration.ofSeconds(12)));
        assertEquals("4 min ago", Ages.ago(Duration.ofSeconds(250)));
        assertEquals("3 h ago", Ages.ago(Duration.ofHours(3)));
        assertEquals("2 days ago", Ages.ago(Duration.ofDays(2)));
        assertEquals("just now", Ages.ago(Duration.ofSeconds(-5)), "a clock a little ahead is not the future");
    }

    private static Job finished(long id, String state, Instant at) {
        return new Job(id, Job.KIND_LOCAL, "job " + id, state, List.of(), false, "qemu", "tcg", 1, 256, 60,
                at.minusSeconds(30), at.minusSeconds(20), at, 1, 0, null, null, null, null, null, null);
    }
}
