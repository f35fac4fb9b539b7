package org.rigdesk.daemon.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.daemon.vm.VmSpec;

/** When a job's VM is stopped, in order: cancel, time limit, full disk, a boot that printed nothing. */
class StopPolicyTest {

    private static final long S = 1_000_000_000L;
    private static final JobsConfig CONFIG = new JobsConfig(Path.of("/tmp/jobs"), Path.of("/tmp/image"),
            VmSpec.Accel.KVM, Duration.ofSeconds(30), Duration.ofSeconds(5), 4, 4096, false,
            JobsConfig.DEFAULT_CONSOLE_MAX_BYTES);

    private static Optional<StopPolicy.Stop> check(StopPolicy policy, long now, boolean cancel, boolean alive,
                                                   String diskFull) {
        return policy.check(now, cancel, alive, () -> Optional.ofNullable(diskFull));
    }

    @Test
    void aJobRunsUntilItsLimitThenTimesOut() {
        StopPolicy policy = new StopPolicy(CONFIG, 60, false, 0);
        assertEquals(Optional.empty(), check(policy, 59 * S, false, true, null));
        assertEquals(Optional.of(new StopPolicy.Stop(JobState.TIMED_OUT, "the job ran longer than its timeout of 60 s")),
                check(policy, 61 * S, false, true, null));
        assertEquals(JobState.CANCELLED, check(policy, 61 * S, true, true, "full").orElseThrow().state(),
                "a cancel wins over everything");
    }

    @Test
    void aSilentBootFailsWithTheAcceleratorsHint() {
        StopPolicy policy = new StopPolicy(CONFIG, 3600, false, 0);
        assertEquals(Optional.empty(), check(policy, 31 * S, false, true, null), "a guest that printed is alive");
        StopPolicy.Stop stop = check(policy, 31 * S, false, false, null).orElseThrow();
        assertEquals(JobState.FAILED, stop.state());
        assertTrue(stop.reason().startsWith("the VM printed nothing within 30 s (accelerator kvm)"), stop.reason());
        assertTrue(stop.reason().contains("--vm-accel tcg"), stop.reason());
        assertEquals(new StopPolicy.Stop(JobState.FAILED, "disk full"), check(policy, S, false, true, "disk full").orElseThrow());
    }

    @Test
    void aRunnerVmWaitsForGitHubAsLongAsItLikesThenHasTheJobsLimit() {
        StopPolicy policy = new StopPolicy(CONFIG, 60, true, 0);
        assertEquals(Optional.empty(), check(policy, 100_000 * S, false, true, null));
        policy.jobStarted(100_000 * S);
        assertEquals(Optional.empty(), check(policy, 100_059 * S, false, true, null));
        assertEquals(JobState.TIMED_OUT, check(policy, 100_061 * S, false, true, null).orElseThrow().state());
    }
}
