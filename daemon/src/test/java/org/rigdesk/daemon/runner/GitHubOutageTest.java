package org.rigdesk.daemon.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobList;
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.api.wire.RunnerTestJob;
import org.rigdesk.testkit.FakeGitHub;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;

/**
 * GitHub answers 503 for ten minutes: the runner shows that it is backing off, calls GitHub a few
 * times with growing gaps rather than every poll, keeps its listening slot, and once GitHub is
 * back it recovers by itself and runs a job. The pool's clock runs 60 times faster (hidden
 * flag), so the ten minutes take ten seconds; the VMs and GitHub's stand-in run in real time.
 */
class GitHubOutageTest {

    private static final int CLOCK_RATE = 60;

    @TempDir
    Path dir;

    @Test
    void tenMinutesOf503sBackOffVisiblyAndRecover() throws Exception {
        DaemonProcess.requireTestImage();
        try (FakeGitHub github = new FakeGitHub("/repos/octo/gpu-ci");
             DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop").withArgs("--runner-poll-ms", "500",
                     "--debug-runner-clock-rate", String.valueOf(CLOCK_RATE), "--runner-offline-grace", "86400",
                     "--cancel-grace", "1").start();
             DaemonClient client = daemon.client()) {
            client.send("PUT", "/v1/runner", new RunnerRegistration("https://github.com/octo/gpu-ci",
                    FakeGitHub.GOOD_TOKEN, List.of(), "rigdesk", null, github.apiUrl(), 0, 1, 1, 256),
                    RunnerStatus.class);
            RunnerStatus idle = Await.value(() -> client.get("/v1/runner", RunnerStatus.class),
                    s -> RunnerStatus.Slot.IDLE.equals(s.slots().get(0).state()), 120, "the slot listens");
            String runner = idle.slots().get(0).runnerName();

            github.outage = true;
            int before = github.requests.size();
            long start = System.nanoTime();
            Await.value(() -> client.get("/v1/runner", RunnerStatus.class),
                    s -> s.github() != null && s.github().contains("503"), 10, "the outage is shown");
            Thread.sleep(Math.max(0, 600_000 / CLOCK_RATE - (System.nanoTime() - start) / 1_000_000));
            RunnerStatus during = client.get("/v1/runner", RunnerStatus.class);
            int calls = github.requests.size() - before;
            // 5 s doubling to 5 min: tries at about 0, 5, 15, 35, 75, 155, 315 s and 615 s.
            assertTrue(calls >= 4 && calls <= 12, calls + " calls in ten minutes: " + github.requests);
            System.out.println("GitHub outage: " + calls + " calls in ten minutes; status: " + during.github());
            assertTrue(during.github().contains("failures in a row") && during.github().contains("next try in"),
                    during.github());
            assertEquals(RunnerStatus.Slot.IDLE, during.slots().get(0).state(), "the listening VM is kept");
            assertEquals(runner, during.slots().get(0).runnerName());

            github.outage = false;
            // The back-off is at most 5 minutes of pool time: 5 s here, plus polls.
            Await.value(() -> client.get("/v1/runner", RunnerStatus.class), s -> s.github() == null, 30,
                    "GitHub is reached again");
            client.send("POST", "/v1/runner/test-job", new RunnerTestJob(false, "octo/gpu-ci", "Nightly", "smoke",
                    99L, 1, "echo after-the-outage\n"), Map.class);
            Job done = Await.value(() -> client.get("/v1/jobs", JobList.class).jobs().stream()
                            .filter(j -> Long.valueOf(99).equals(j.runId()) && j.finished()).findFirst().orElse(null),
                    j -> j != null, 120, "a job runs after the outage");
            assertEquals(JobState.SUCCEEDED.wire(), done.state(), done.toString());
            assertTrue(daemon.log().contains("503"), "the log says why");
        }
    }
}
