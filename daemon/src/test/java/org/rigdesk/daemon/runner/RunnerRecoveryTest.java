package org.rigdesk.daemon.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
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
 * rigdeskd killed with -9 at each step of a runner slot's life — GitHub creating its runner,
 * slots listening, a job running — then restarted: no VM of the old run is left, idle runner VMs
 * leave no job record, a running job is lost with its log, the reconciler deletes the old runners
 * from GitHub (a busy one once GitHub lets go of it), and fresh slots take their place.
 */
class RunnerRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void killedWhileSlotsListenThenRestarted() throws Exception {
        DaemonProcess.requireTestImage();
        try (FakeGitHub github = new FakeGitHub("/repos/octo/gpu-ci")) {
            Set<String> before;
            String marker = dir.toString();
            DaemonProcess first = daemon().start();
            try (DaemonClient client = first.client()) {
                register(client, github, 2);
                RunnerStatus idle = Await.value(() -> client.get("/v1/runner", RunnerStatus.class),
                        s -> s.slots().stream().allMatch(slot -> RunnerStatus.Slot.IDLE.equals(slot.state())), 120,
                        "two idle slots");
                before = idle.slots().stream().map(RunnerStatus.Slot::runnerName).collect(Collectors.toSet());
            }
            first.kill();
            assertEquals(2, vms(marker), "the VMs outlive a daemon killed with -9");

            try (DaemonProcess second = daemon().start(); DaemonClient client = second.client()) {
                RunnerStatus again = Await.value(() -> client.get("/v1/runner", RunnerStatus.class),
                        s -> s.slots().stream().allMatch(slot -> RunnerStatus.Slot.IDLE.equals(slot.state())), 120,
                        "the slots refill after the restart");
                Set<String> after = again.slots().stream().map(RunnerStatus.Slot::runnerName).collect(Collectors.toSet());
                assertTrue(after.stream().noneMatch(before::contains), "fresh runners: " + before + " → " + after);
                Await.until(() -> before.stream().allMatch(name -> github.named(name).isEmpty()), 20,
                        "the old runners are deleted from GitHub");
                assertEquals(2, vms(marker), "only the new slots' VMs run");
                JobList jobs = client.get("/v1/jobs", JobList.class);
                assertEquals(2, jobs.jobs().size(), "the killed run's idle VMs left no job record: " + jobs);
                assertFalse(client.getText("/v1/jobs").contains("\"lost\""), "idle runner VMs are not lost jobs");
            }
        }
    }

    @Test
    void killedWhileGitHubCreatesARunnerThenRestarted() throws Exception {
        DaemonProcess.requireTestImage();
        try (FakeGitHub github = new FakeGitHub("/repos/octo/gpu-ci")) {
            github.jitDelayMillis = 60_000; // GitHub has made the runner; rigdeskd never hears of it
            DaemonProcess first = daemon().start();
            try (DaemonClient client = first.client()) {
                register(client, github, 1);
                Await.until(() -> github.jitRequests.size() == 1, 30, "the slot asks for a runner");
            } finally {
                first.kill();
            }
            String orphan = github.jitRequests.get(0).name();
            assertEquals(1, github.named(orphan).size());
            long orphanId = github.named(orphan).get(0).id();
            github.jitDelayMillis = 0;
            try (DaemonProcess second = daemon().start(); DaemonClient client = second.client()) {
                RunnerStatus idle = Await.value(() -> client.get("/v1/runner", RunnerStatus.class),
                        s -> RunnerStatus.Slot.IDLE.equals(s.slots().get(0).state()), 120, "the slot fills");
                // The fresh runner may take the orphan's name (both named in the same second): through a
                // 409 and the orphan's deletion.
                assertNotEquals(orphanId, idle.slots().get(0).runnerId());
                Await.until(() -> !github.runners.containsKey(orphanId), 20, "the runner no VM ever served is deleted");
                assertEquals(1, vms(dir.toString()));
            }
        }
    }

    @Test
    void killedWhileARunnerJobRunsThenRestarted() throws Exception {
        DaemonProcess.requireTestImage();
        try (FakeGitHub github = new FakeGitHub("/repos/octo/gpu-ci")) {
            DaemonProcess first = daemon().start();
            String runner;
            Job running;
            try (DaemonClient client = first.client()) {
                register(client, github, 1);
                Await.value(() -> client.get("/v1/runner", RunnerStatus.class),
                        s -> RunnerStatus.Slot.IDLE.equals(s.slots().get(0).state()), 120, "the slot fills");
                client.send("POST", "/v1/runner/test-job", new RunnerTestJob(false, "octo/gpu-ci", "Train", "epoch",
                        77L, 1, "echo started-epoch\nsleep 600\n"), java.util.Map.class);
                running = Await.value(() -> client.get("/v1/jobs", JobList.class).jobs().stream()
                                .filter(j -> Long.valueOf(77).equals(j.runId()) && j.is(JobState.RUNNING))
                                .findFirst().orElse(null), j -> j != null, 120, "the runner job runs");
                runner = client.get("/v1/runner", RunnerStatus.class).slots().get(0).runnerName();
                github.setStatus(runner, "online", true); // as GitHub shows a runner with a job
            } finally {
                first.kill();
            }
            try (DaemonProcess second = daemon().start(); DaemonClient client = second.client()) {
                Job lost = client.get("/v1/jobs/" + running.id(), Job.class);
                assertEquals(JobState.LOST.wire(), lost.state(), lost.toString());
                assertTrue(client.getText("/v1/jobs/" + running.id() + "/log").contains("started-epoch"),
                        "the job's log is kept");
                Await.value(() -> client.get("/v1/runner", RunnerStatus.class),
                        s -> RunnerStatus.Slot.IDLE.equals(s.slots().get(0).state())
                                && !runner.equals(s.slots().get(0).runnerName()), 120, "the slot refills");
                assertEquals(1, github.named(runner).size(), "a runner GitHub calls busy is never deleted");
                github.setStatus(runner, "offline", false); // GitHub gives up on the job
                Await.until(() -> github.named(runner).isEmpty(), 20, "then it is deleted");
                assertEquals(1, vms(dir.toString()), "only the new slot's VM runs");
            }
        }
    }

    private DaemonProcess daemon() {
        return new DaemonProcess(dir).simulate("desktop").withArgs("--runner-poll-ms", "300", "--cancel-grace", "1");
    }

    private static void register(DaemonClient client, FakeGitHub github, int cpuSlots) throws Exception {
        client.send("PUT", "/v1/runner", new RunnerRegistration("https://github.com/octo/gpu-ci",
                FakeGitHub.GOOD_TOKEN, List.of(), "rigdesk", null, github.apiUrl(), 0, cpuSlots, 1, 256),
                RunnerStatus.class);
    }

    private static long vms(String marker) {
        return ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(line -> line.contains("qemu-system") && line.contains(marker)).count();
    }
}
