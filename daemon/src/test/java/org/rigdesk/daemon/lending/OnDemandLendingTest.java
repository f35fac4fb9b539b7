package org.rigdesk.daemon.lending;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobList;
import org.rigdesk.api.wire.LendingRequest;
import org.rigdesk.api.wire.ReclaimRequest;
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.api.wire.RunnerTestJob;
import org.rigdesk.testkit.FakeGitHub;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;

/**
 * An on-demand card end to end, with real VMs (QEMU, TCG), the emulated kernel and the GitHub
 * stand-in's queue: the card waits on the host; a queued job no runner of ours would match changes
 * nothing; a queued {@code [self-hosted, gpu]} job moves it to vfio-pci and boots a just-in-time
 * runner with GPU labels, which runs the job; then the card is back on its host driver and the
 * runner gone. "Use on my desk" stops an idle on-demand runner at once, waits for a busy one's job,
 * or cancels it when asked.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OnDemandLendingTest {

    private static final String REPO = "octo/gpu-ci";
    private static final String CARD = "0000:01:00.0";
    private static final String OTHER = "0000:02:00.0";

    @TempDir
    static Path dir;
    static FakeGitHub github;
    static DaemonProcess daemon;
    static DaemonClient client;
    static String ours;

    @BeforeAll
    static void start() throws Exception {
        DaemonProcess.requireTestImage();
        github = new FakeGitHub("/repos/" + REPO);
        daemon = new DaemonProcess(dir).simulate("desktop")
                .withArgs("--runner-poll-ms", "500", "--cancel-grace", "1", "--lending-retry-seconds", "1").start();
        client = daemon.client();
        Gpu standby = client.send("PUT", "/v1/gpus/" + CARD + "/lending", new LendingRequest("on-demand", null, 60),
                Gpu.class);
        assertEquals("standby", standby.lending().state());
        RunnerStatus registered = client.send("PUT", "/v1/runner", new RunnerRegistration("https://github.com/" + REPO,
                FakeGitHub.GOOD_TOKEN, List.of(), "rigdesk", null, github.apiUrl(), 0, 0, 1, 512, null, null, 2),
                RunnerStatus.class);
        ours = registered.ownedPrefix();
        assertEquals(2, registered.queuePollSeconds());
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (daemon != null) {
            daemon.close();
        }
        if (github != null) {
            github.close();
        }
    }

    static Gpu card() throws IOException {
        return client.get("/v1/gpus/" + CARD, Gpu.class);
    }

    static RunnerStatus runner() throws IOException {
        return client.get("/v1/runner", RunnerStatus.class);
    }

    static RunnerStatus.Slot onDemandSlot(String state, int seconds) throws Exception {
        return Await.value(OnDemandLendingTest::runner, r -> r.slots().stream()
                        .anyMatch(s -> CARD.equals(s.gpu()) && state.equals(s.state())), seconds, "the on-demand slot " + state)
                .slots().stream().filter(s -> CARD.equals(s.gpu())).findFirst().orElseThrow();
    }

    static void awaitCardHome(String why) throws Exception {
        Await.until(() -> {
            try {
                Gpu gpu = card();
                // Home: on its host driver, the lending thread says so, and no slot of its own left.
                return gpu.is(GpuMode.HOST) && List.of("desk", "standby").contains(gpu.lending().state())
                        && runner().slots().isEmpty();
            } catch (IOException e) {
                return false;
            }
        }, 120, why);
        Await.until(() -> github.named(ours).isEmpty(), 30, "no runner of ours is left on GitHub");
    }

    static void completeQueue() {
        github.actionsJobs.keySet().forEach(id -> github.setJobStatus(id, "completed"));
    }

    @Test
    @Order(1)
    void aQueuedJobNoRunnerOfOursMatchesChangesNothing() throws Exception {
        github.queue(REPO, 0, "train on H100", List.of("self-hosted", "gpu", "gpu-h100"));
        github.queue(REPO, 0, "lint", List.of("ubuntu-latest"));
        // GitHub would give this job to any runner carrying both labels: a GPU slot must not carry linux.
        github.queue(REPO, 0, "lint on a self-hosted linux", List.of("self-hosted", "linux"));
        int polls = github.notModified.get();
        Await.until(() -> github.notModified.get() >= polls + 4, 30, "the queue was read twice more (unchanged: 304s)");
        assertEquals(GpuMode.HOST.wire(), card().mode());
        assertEquals("standby", card().lending().state());
        assertTrue(github.jitRequests.isEmpty(), "no runner was made");
        assertTrue(runner().queued().isEmpty(), "jobs for other runners are not ours to list: " + runner().queued());
        completeQueue();
    }

    @Test
    @Order(2)
    void aQueuedGpuJobBorrowsTheCardRunsThroughTheRunnerAndGivesItBack() throws Exception {
        client.send("POST", "/v1/runner/test-job", new RunnerTestJob(true, REPO, "Transcribe", "whisper", 5151L, 1,
                "echo transcribing on the lent card"), Map.class);
        long queued = github.queue(REPO, 5151, "whisper", List.of("self-hosted", "gpu"));
        RunnerStatus seen = Await.value(OnDemandLendingTest::runner, r -> r.queued().stream()
                .anyMatch(q -> q.jobId() == queued && CARD.equals(q.gpu())), 30, "the queued job is seen and the card lent for it");
        assertEquals(List.of("self-hosted", "gpu"), seen.queued().get(0).labels());

        Gpu lent = Await.value(OnDemandLendingTest::card, g -> g.is(GpuMode.VFIO), 30, "the card moves to vfio-pci");
        assertEquals("on-demand", lent.lending().policy());
        assertEquals(GpuMode.HOST.wire(), client.get("/v1/gpus/" + OTHER, Gpu.class).mode(), "the desk card is never touched");
        RunnerStatus.Slot busy = onDemandSlot(RunnerStatus.Slot.BUSY, 180);
        github.setJobStatus(queued, "in_progress"); // GitHub hands the job to our runner
        assertTrue(busy.labels().containsAll(List.of("self-hosted", "gpu")), busy.labels().toString());
        assertTrue(busy.labels().stream().noneMatch(List.of("linux", "x64", "rigdesk")::contains), busy.labels().toString());
        FakeGitHub.JitRequest jit = github.jitRequests.get(0);
        assertTrue(jit.labels().contains("gpu") && jit.name().startsWith(ours), jit.toString());

        Job done = Await.value(() -> client.get("/v1/jobs", JobList.class).jobs().stream()
                .filter(j -> Long.valueOf(5151).equals(j.runId()) && j.finished()).findFirst().orElse(null),
                j -> j != null, 120, "the job finishes");
        assertEquals(JobState.SUCCEEDED.wire(), done.state(), done.toString());
        assertEquals(List.of(CARD), done.gpus());
        assertTrue(client.getText("/v1/jobs/" + done.id() + "/log").contains("transcribing on the lent card"));
        github.setJobStatus(queued, "completed");
        awaitCardHome("after the job the card is back on its host driver and the slot gone");
        assertEquals("standby", card().lending().state());
        assertEquals("nvidia", card().driver());
    }

    @Test
    @Order(3)
    void reclaimingAnIdleOnDemandRunnerStopsItAtOnce() throws Exception {
        github.queue(REPO, 0, "whisper", List.of("self-hosted", "gpu"));
        onDemandSlot(RunnerStatus.Slot.IDLE, 180);
        long before = System.nanoTime();
        Gpu reclaimed = client.send("POST", "/v1/gpus/" + CARD + "/reclaim", new ReclaimRequest(false), Gpu.class);
        assertEquals("desk", reclaimed.lending().policy());
        awaitCardHome("the idle runner VM stops and the card comes back");
        assertTrue(System.nanoTime() - before < 60_000_000_000L);
        assertEquals("desk", card().lending().state());
        completeQueue();
        Thread.sleep(3000);
        assertEquals(GpuMode.HOST.wire(), card().mode(), "a desk card is not lent again for a job still queued");
    }

    @Test
    @Order(4)
    void reclaimingABusyCardWaitsForItsJobOrCancelsIt() throws Exception {
        client.send("PUT", "/v1/gpus/" + CARD + "/lending", new LendingRequest("on-demand", null, 60), Gpu.class);
        client.send("POST", "/v1/runner/test-job", new RunnerTestJob(true, REPO, "Render", "sd", 6161L, 1,
                "sleep 12; echo rendered"), Map.class);
        github.queue(REPO, 6161, "sd", List.of("self-hosted", "gpu"));
        onDemandSlot(RunnerStatus.Slot.BUSY, 180);
        client.send("POST", "/v1/gpus/" + CARD + "/reclaim", new ReclaimRequest(false), Gpu.class);
        Gpu waiting = Await.value(OnDemandLendingTest::card, g -> "returning".equals(g.lending().state()), 10,
                "the card waits for its job");
        assertTrue(waiting.lending().detail().contains("waiting for job"), waiting.lending().detail());
        assertEquals(GpuMode.VFIO.wire(), waiting.mode());
        awaitCardHome("the job finishes, then the card comes back");
        Job rendered = client.get("/v1/jobs", JobList.class).jobs().stream()
                .filter(j -> Long.valueOf(6161).equals(j.runId())).findFirst().orElseThrow();
        assertEquals(JobState.SUCCEEDED.wire(), rendered.state(), "the owner waited: the job was not cut short");
        completeQueue();

        client.send("PUT", "/v1/gpus/" + CARD + "/lending", new LendingRequest("on-demand", null, 60), Gpu.class);
        client.send("POST", "/v1/runner/test-job", new RunnerTestJob(true, REPO, "Render", "sd", 7171L, 1,
                "sleep 600"), Map.class);
        github.queue(REPO, 7171, "sd", List.of("self-hosted", "gpu"));
        onDemandSlot(RunnerStatus.Slot.BUSY, 180);
        client.send("POST", "/v1/gpus/" + CARD + "/reclaim", new ReclaimRequest(true), Gpu.class);
        awaitCardHome("the job is cancelled and the card comes back");
        Job cancelled = client.get("/v1/jobs", JobList.class).jobs().stream()
                .filter(j -> Long.valueOf(7171).equals(j.runId())).findFirst().orElseThrow();
        assertEquals(JobState.CANCELLED.wire(), cancelled.state());
        assertTrue(LendingApiTest.audit(client, "gpu.reclaim").stream().anyMatch(e -> e.detail().contains("cancel")));
        completeQueue();
    }

    @Test
    @Order(5)
    void aRunnerNoJobTakesGivesTheCardBackAfterItsIdleTimeAndTheJobIsNotChasedAgain() throws Exception {
        client.send("PUT", "/v1/gpus/" + CARD + "/lending", new LendingRequest("on-demand", null, 30), Gpu.class);
        long lost = github.queue(REPO, 0, "went elsewhere", List.of("self-hosted", "gpu"));
        onDemandSlot(RunnerStatus.Slot.IDLE, 180);
        awaitCardHome("30 s without a job: the VM stops and the card comes back");
        assertTrue(LendingApiTest.audit(client, "runner.on-demand").stream()
                .anyMatch(e -> e.detail().contains("no job came for 30 s")));
        Thread.sleep(4000);
        assertEquals(GpuMode.HOST.wire(), card().mode(), "the job still queued is not lent for again at once");
        RunnerStatus.QueuedJob waiting = runner().queued().stream().filter(q -> q.jobId() == lost).findFirst().orElseThrow();
        assertTrue(waiting.waitingFor().contains("no runner of ours took it"), waiting.waitingFor());
        completeQueue();
    }
}
