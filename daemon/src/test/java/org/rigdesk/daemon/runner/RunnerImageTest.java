package org.rigdesk.daemon.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.client.DaemonException;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.api.wire.RunnerTestJob;
import org.rigdesk.daemon.github.FakeGitHub;
import org.rigdesk.daemon.testing.Await;
import org.rigdesk.daemon.testing.DaemonProcess;

/**
 * The runner flavour of the image (packaging/image/build-runner-image.sh: a debootstrap root, no
 * runner) boots: a local job runs inside its Debian root, and a runner slot gets the host's runner
 * (the stand-in's release) overlaid at /opt/actions-runner in that root, starts it and listens.
 */
class RunnerImageTest {

    @TempDir
    Path dir;

    @Test
    void theRunnerFlavourBootsJobsAndRunnerSlots() throws Exception {
        Path image = DaemonProcess.runnerImage();
        Assumptions.assumeTrue(image != null, "the runner image is built by ./dev test (as root)");
        try (FakeGitHub github = new FakeGitHub("/repos/octo/gpu-ci");
             DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop")
                     .withArgs("--image", image.toString(), "--runner-poll-ms", "500", "--cancel-grace", "1").start();
             DaemonClient client = daemon.client()) {
            Job job = client.send("POST", "/v1/jobs", Map.of("script", "cat /etc/debian_version; "
                    + "test -d /opt/actions-runner && test ! -e /opt/actions-runner/run.sh && echo no-runner-in-image", "cpus", 1, "memoryMiB", 384), Job.class);
            Job done = Await.value(() -> client.get("/v1/jobs/" + job.id(), Job.class), Job::finished, 120, "job ends");
            String log = client.getText("/v1/jobs/" + job.id() + "/log");
            assertEquals(Job.SUCCEEDED, done.state(), log);
            // Debian 12's version: the job ran inside the image's own root, not the busybox initramfs.
            assertTrue(log.lines().anyMatch(line -> line.strip().matches("12\\.\\d+"))
                    && log.contains("no-runner-in-image"), log); // the runner comes from the host, to runner VMs only

            client.send("PUT", "/v1/runner", new RunnerRegistration("https://github.com/octo/gpu-ci",
                    FakeGitHub.GOOD_TOKEN, List.of(), "rigdesk", null, github.apiUrl(), 0, 1, 1, 384), RunnerStatus.class);
            RunnerStatus idle = Await.value(() -> client.get("/v1/runner", RunnerStatus.class),
                    s -> s.slots().size() == 1 && RunnerStatus.Slot.IDLE.equals(s.slots().get(0).state()), 120,
                    "the slot's runner listens");
            String console = Files.readString(daemon.stateDir().resolve("jobs")
                    .resolve(idle.slots().get(0).jobId().toString()).resolve("console.log"));
            assertTrue(console.contains("Listening for Jobs"), console);
            DaemonException refused = assertThrows(DaemonException.class, () -> client.send("POST",
                    "/v1/runner/test-job", new RunnerTestJob(false, "octo/gpu-ci", null, null, null, null, "true"),
                    Map.class));
            assertEquals("not-test-image", refused.code(), "jobs for a real runner image come from GitHub");
        }
    }
}
