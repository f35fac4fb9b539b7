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
import org.rigdesk.api.wire.Info;
import org.rigdesk.api.wire.Job;
import org.rigdesk.daemon.testing.Await;
import org.rigdesk.daemon.testing.DaemonProcess;

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
            Job job = client.send("POST", "/v1/jobs", Map.of("name", "fill the disk", "script",
                    "echo filling\ndd if=/dev/urandom of=/work/fill bs=1M count=28 2>&1\necho never", "cpus", 1,
                    "memoryMiB", 256), Job.class);
            Job done = Await.value(() -> client.get("/v1/jobs/" + job.id(), Job.class), Job::finished, 120, "job ends");
            assertEquals(Job.FAILED, done.state(), done.toString());
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

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(List.of(command)).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }
}
