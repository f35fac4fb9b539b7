package org.rigdesk.daemon.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.JobList;
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.daemon.github.FakeGitHub;
import org.rigdesk.daemon.testing.Await;
import org.rigdesk.daemon.testing.DaemonProcess;

/**
 * rigdeskd killed with -9 while its runner slots listen: at the next start no VM of the old
 * run is left, its idle runner VMs leave no job record, the reconciler deletes their runners
 * from GitHub, and fresh slots take their place.
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
            DaemonProcess first = new DaemonProcess(dir).simulate("desktop")
                    .withArgs("--runner-poll-ms", "300", "--cancel-grace", "1").start();
            try (DaemonClient client = first.client()) {
                client.send("PUT", "/v1/runner", new RunnerRegistration("https://github.com/octo/gpu-ci",
                        FakeGitHub.GOOD_TOKEN, List.of(), "rigdesk", null, github.apiUrl(), 0, 2, 1, 256),
                        RunnerStatus.class);
                RunnerStatus idle = Await.value(() -> client.get("/v1/runner", RunnerStatus.class),
                        s -> s.slots().stream().allMatch(slot -> RunnerStatus.Slot.IDLE.equals(slot.state())), 120,
                        "two idle slots");
                before = idle.slots().stream().map(RunnerStatus.Slot::runnerName).collect(Collectors.toSet());
            }
            first.kill();
            assertEquals(2, vms(marker), "the VMs outlive a daemon killed with -9");

            try (DaemonProcess second = new DaemonProcess(dir).simulate("desktop")
                    .withArgs("--runner-poll-ms", "300", "--cancel-grace", "1").start();
                 DaemonClient client = second.client()) {
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

    private static long vms(String marker) {
        return ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(line -> line.contains("qemu-system") && line.contains(marker)).count();
    }
}
