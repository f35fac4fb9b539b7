package org.rigdesk.daemon.jobs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.daemon.vm.FirecrackerVmm;

/**
 * At start, VMMs a killed daemon left are found by their command lines: one naming the job's
 * directory, or a jailed Firecracker by its jail's id (its paths are the jail's own); others live on.
 */
class JobLeftoversTest {

    @TempDir
    Path dir;

    @Test
    void aJailedFirecrackerIsFoundByItsIdAndAStrangerIsLeftAlone() throws Exception {
        Path job = Files.createDirectories(dir.resolve("jobs").resolve("5"));
        Process jailed = new ProcessBuilder("sleep", "60").start();
        Process stranger = new ProcessBuilder("sleep", "60").start();
        try {
            String id = FirecrackerVmm.jailId("job-5", job.resolve("vm"));
            JobLeftovers.stopLeftovers(job, Map.of(
                    jailed.toHandle(), "/firecracker --id=" + id + " --start-time-us=1 --api-sock /api.sock",
                    stranger.toHandle(), "/firecracker --id=" + id + "0 --api-sock /api.sock"));
            assertFalse(jailed.isAlive(), "the jailed VMM of job 5 is stopped");
            assertTrue(stranger.isAlive(), "another id (another daemon's job) is not ours");
        } finally {
            jailed.destroyForcibly();
            stranger.destroyForcibly();
        }
    }
}
