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
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.api.wire.RunnerTestJob;
import org.rigdesk.testkit.FakeGitHub;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;

/**
 * The runner flavour of the image (packaging/image/build-runner-image.sh --distro debian-12: a
 * debootstrap root with Docker, no runner) boots: a local job runs inside its Debian root with
 * Docker running (docker info, a container from an image loaded from a tarball), the `runner` user
 * has passwordless sudo and Docker, the tool cache is there; a runner slot gets the host's runner
 * (the stand-in's release) overlaid at /opt/actions-runner in that root, starts it as `runner` and
 * listens.
 */
class RunnerImageTest {

    @TempDir
    Path dir;

    @Test
    void theRunnerFlavourBootsJobsAndRunnerSlots() throws Exception {
        Path image = DaemonProcess.runnerImage();
        Assumptions.assumeTrue(image != null, "the runner image is built by ./dev test (as root)");
        // What image.json says the recipe put in (the Host page and the slots' labels read it).
        com.fasterxml.jackson.databind.JsonNode manifest = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(image.resolve("image.json").toFile());
        assertEquals("debian-12", manifest.path("distro").asText(), manifest.toString());
        assertTrue(manifest.path("docker").asText().matches("\\d+\\.\\d+\\.\\d+"), manifest.toString());
        try (FakeGitHub github = new FakeGitHub("/repos/octo/gpu-ci");
             DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop")
                     .withArgs("--image", image.toString(), "--runner-poll-ms", "500", "--cancel-grace", "1").start();
             DaemonClient client = daemon.client()) {
            String script = new String(RunnerImageTest.class.getResourceAsStream("/jobs/docker-in-a-job.sh").readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            Job job = client.send("POST", "/v1/jobs", Map.of("script", script, "cpus", 2, "memoryMiB", 1024), Job.class);
            Job done = Await.value(() -> client.get("/v1/jobs/" + job.id(), Job.class), Job::finished, 400, "job ends");
            String log = client.getText("/v1/jobs/" + job.id() + "/log");
            assertEquals(JobState.SUCCEEDED.wire(), done.state(), log);
            // Debian 12's version: the job ran inside the image's own root, not the busybox initramfs.
            assertTrue(log.lines().anyMatch(line -> line.strip().matches("12\\.\\d+")), log);
            assertTrue(log.contains("ok: docker " + manifest.path("docker").asText()) && log.contains(", root /var/lib/docker"),
                    "Docker runs, its data in the job's root: " + log);
            for (String ok : List.of("no runner in the image", "a container ran as pid 1", "runner has passwordless sudo",
                    "runner reaches docker", "tool cache /opt/hostedtoolcache", "python3 venv")) {
                assertTrue(log.contains("ok: " + ok), "missing 'ok: " + ok + "' in\n" + log);
            }
            // The figure the image is judged by: boot to a running Docker (the agent's console line).
            String sizes = image.resolve("rootfs.ext4").toFile().length() / (1 << 20) + " MiB root disk, "
                    + Files.size(image.resolve("initrd.img")) / 1024 + " KiB initramfs";
            log.lines().filter(line -> line.contains("is running,") && line.contains("after boot"))
                    .forEach(line -> System.out.println("runner image (" + manifest.path("distro").asText() + ", "
                            + sizes + ") under " + done.accel() + ": " + line.strip()));

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
