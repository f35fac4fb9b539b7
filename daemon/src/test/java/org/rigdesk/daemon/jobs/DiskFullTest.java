package org.rigdesk.daemon.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Info;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.Settings;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;

/**
 * The state directory on a small tmpfs that a job fills (its copy-on-write disk grows): the job
 * fails saying why, its log is kept as far as it got, and the daemon stays up.
 */
class DiskFullTest {

    @Test
    void aJobThatFillsTheStateDiskFailsWithTheReasonAndTheDaemonStaysUp() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        DaemonProcess.requireTestImage();
        Path dir = Files.createTempDirectory("rigdesk-full");
        run("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", dir.toString());
        try (DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop").withArgs("--cancel-grace", "1").start();
             DaemonClient client = daemon.client()) {
            // No reserve for the host: the disk itself runs full (the reserve has its own test).
            client.send("PUT", "/v1/settings", Settings.diskLimits(null, 0, null), Settings.class);
            Job job = client.send("POST", "/v1/jobs", Map.of("name", "fill the disk", "script",
                    "echo filling\ndd if=/dev/urandom of=/work/fill bs=1M count=28 2>&1\necho never", "cpus", 1,
                    "memoryMiB", 256), Job.class);
            Job done = Await.value(() -> client.get("/v1/jobs/" + job.id(), Job.class), Job::finished, 120, "job ends");
            assertEquals(JobState.FAILED.wire(), done.state(), done.toString());
            assertTrue(done.error().contains("disk is full"), done.error());
            assertTrue(client.getText("/v1/jobs/" + job.id() + "/log").contains("filling"), "the log so far is kept");
            assertTrue(client.get("/v1/info", Info.class).version() != null, "the daemon answers");
            Path jobDir = daemon.stateDir().resolve("jobs").resolve(Long.toString(job.id()));
            assertTrue(!Files.exists(jobDir.resolve("root.qcow2")), "the job's disk is gone, freeing the space");
        } finally {
            run("umount", "-l", dir.toString());
            Files.deleteIfExists(dir);
        }
    }

    /**
     * A guest writing into its cache layer as fast as it can: past the job's quota it is stopped,
     * and with a reserve set, it is stopped before the host's free space goes below it.
     */
    @Test
    void aJobPastItsQuotaIsStoppedAndTheHostKeepsItsReserve() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        DaemonProcess.requireTestImage();
        Path dir = Files.createTempDirectory("rigdesk-quota");
        // A file system on disk (a tmpfs would charge the guest's writes to its VMM's memory limit).
        Path image = Files.createTempFile("rigdesk-quota", ".ext4");
        run("truncate", "-s", "3G", image.toString());
        run("mkfs.ext4", "-q", "-F", "-m", "0", image.toString());
        run("mount", "-o", "loop", image.toString(), dir.toString());
        String fill = "echo filling\ndd if=/dev/zero of=/cache/fill bs=1M count=1400 conv=fsync 2>&1\necho never";
        try (DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop").withArgs("--cancel-grace", "1").start();
             DaemonClient client = daemon.client()) {
            client.send("PUT", "/v1/settings", Settings.diskLimits(1, 0, null), Settings.class);
            Job overQuota = client.send("POST", "/v1/jobs", Map.of("name", "over quota", "script", fill, "cpus", 1,
                    "memoryMiB", 256, "cache", "big", "cacheWrite", true), Job.class);
            Job stopped = Await.value(() -> client.get("/v1/jobs/" + overQuota.id(), Job.class), Job::finished, 300,
                    "the job ends");
            assertEquals(JobState.FAILED.wire(), stopped.state(), stopped.toString());
            assertTrue(stopped.error().contains("the job made more than 1 GiB on the host"), stopped.error());
            String log = client.getText("/v1/jobs/" + overQuota.id() + "/log");
            assertTrue(log.contains("filling") && !log.contains("never"), log);
            assertTrue(log.contains("cache big: this job's changes were thrown away"), log);

            // 3 GiB of tmpfs, 2 kept for the host: the job may take about one.
            client.send("PUT", "/v1/settings", Settings.diskLimits(20, 2, null), Settings.class);
            Job reserve = client.send("POST", "/v1/jobs", Map.of("name", "into the reserve", "script", fill, "cpus", 1,
                    "memoryMiB", 256, "cache", "big"), Job.class);
            Job ended = Await.value(() -> client.get("/v1/jobs/" + reserve.id(), Job.class), Job::finished, 300,
                    "the job ends");
            assertEquals(JobState.FAILED.wire(), ended.state(), ended.toString());
            assertTrue(ended.error().contains("2 GiB are kept for the host (stateMinFreeGiB)"), ended.error());
            long lowest = Files.getFileStore(dir).getUsableSpace();
            // Checked every 2 s while the guest writes: it may overshoot by what it writes in that time.
            assertTrue(lowest > (2L << 30) - (512L << 20), "free " + (lowest >> 20) + " MiB");
        } finally {
            run("umount", "-l", dir.toString());
            Files.deleteIfExists(dir);
            Files.deleteIfExists(image);
        }
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(List.of(command)).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }
}
