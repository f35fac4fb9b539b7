package org.rigdesk.daemon.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.api.wire.RunnerTestJob;
import org.rigdesk.api.wire.TelemetryStatus;
import org.rigdesk.testkit.FakeGitHub;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;

/**
 * The runner pool end to end: the demo rig's two GPUs and one CPU slot each boot a real VM (QEMU,
 * TCG) with a just-in-time runner from the GitHub stand-in; a test job runs through the stand-in
 * runner and its hooks; slots refill after a job and after a VM crash; a 409 on a name, 5xx and
 * rate limits are survived; pause drains; remove deletes our runners and nothing else; neither
 * the token nor a runner's config shows up in a log, an answer, SQLite or a process list.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunnerPoolTest {

    private static final String REPO = "/repos/octo/gpu-ci";

    @TempDir
    static Path dir;
    static FakeGitHub github;
    static DaemonProcess daemon;
    static DaemonClient client;
    static String ours;
    /** Every VMM command line seen while slots ran: checked for secrets at the end. */
    static final List<String> commandLines = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        DaemonProcess.requireTestImage();
        github = new FakeGitHub(REPO);
        daemon = new DaemonProcess(dir).simulate("desktop")
                .withArgs("--runner-poll-ms", "300", "--cancel-grace", "1", "--sample-interval", "200").start();
        client = daemon.client();
        // The pool names GPU slots' labels from what the host last measured: let it see both cards first.
        Await.value(() -> client.get("/v1/telemetry", TelemetryStatus.class),
                t -> t.samples().stream().filter(s -> s.memoryTotalMiB() != null).count() == 2, 20, "telemetry");
        for (String bdf : List.of("0000:01:00.0", "0000:02:00.0")) {
            client.send("PUT", "/v1/gpus/" + bdf + "/mode", Map.of("mode", "vfio"), Gpu.class);
        }
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

    static RunnerStatus status() throws IOException {
        return client.get("/v1/runner", RunnerStatus.class);
    }

    static RunnerStatus awaitSlots(String state, int count, int seconds) throws Exception {
        return Await.value(RunnerPoolTest::status,
                s -> s.slots().stream().filter(slot -> state.equals(slot.state())).count() == count, seconds,
                count + " slots " + state);
    }

    static RunnerStatus.Slot slot(RunnerStatus status, String key) {
        return status.slots().stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    @Order(1)
    void registeringFillsTwoGpuSlotsAndOneCpuSlotWithIdleJitRunners() throws Exception {
        RunnerStatus registered = client.send("PUT", "/v1/runner", new RunnerRegistration(
                "https://github.com/octo/gpu-ci", FakeGitHub.GOOD_TOKEN, List.of("whisper"), "rigdesk", null,
                github.apiUrl(), 2, 1, 1, 256), RunnerStatus.class);
        ours = registered.ownedPrefix();
        RunnerStatus idle = awaitSlots(RunnerStatus.Slot.IDLE, 3, 120);
        assertEquals(List.of("gpu0", "gpu1", "cpu0"), idle.slots().stream().map(RunnerStatus.Slot::key).toList());
        assertEquals(List.of("0000:01:00.0", "0000:02:00.0"), Stream.of("gpu0", "gpu1")
                .map(key -> slot(idle, key).gpu()).sorted().toList(), "each GPU slot has its own card");

        assertEquals(3, github.jitRequests.size(), "one just-in-time runner per slot");
        for (FakeGitHub.JitRequest jit : github.jitRequests) {
            assertTrue(jit.name().startsWith(ours), jit.name());
            assertTrue(jit.labels().containsAll(List.of("self-hosted", "whisper")), jit.labels().toString());
            boolean gpuSlot = jit.name().startsWith(ours + "gpu");
            // GPU slots take only jobs that ask for a GPU (the default rule): none of the generic labels.
            assertEquals(!gpuSlot, jit.labels().containsAll(List.of("linux", "x64", "rigdesk")), jit.labels().toString());
            if (gpuSlot) {
                assertTrue(jit.labels().contains("gpu"), jit.labels().toString());
                assertTrue(jit.labels().stream().anyMatch(l -> l.startsWith("gpu-rtx-3060")), jit.labels().toString());
                assertTrue(jit.labels().contains("gpu-12gb"), jit.labels().toString());
            } else {
                assertTrue(jit.labels().stream().noneMatch(l -> l.equals("gpu") || l.startsWith("gpu-")),
                        "a CPU slot never carries a GPU label: " + jit.labels());
            }
        }
        for (RunnerStatus.Slot slot : idle.slots()) {
            String console = Files.readString(daemon.stateDir().resolve("jobs").resolve(slot.jobId().toString())
                    .resolve("console.log"));
            assertTrue(console.contains("Listening for Jobs") && console.contains(slot.runnerName()), console);
        }
        commandLines.addAll(vmmCommandLines());
        assertEquals(3, commandLines.size(), "three VMs run: " + commandLines);
        // Idle runner VMs are not history: the job list shows them as idle, nothing finished.
        JobList jobs = client.get("/v1/jobs", JobList.class);
        assertTrue(jobs.jobs().stream().allMatch(j -> j.is(JobState.READY) && Job.KIND_GITHUB.equals(j.kind())),
                jobs.toString());
    }

    @Test
    @Order(2)
    void aTestJobRunsThroughTheRunnerPathAndTheSlotRefills() throws Exception {
        String before = slot(status(), "gpu0").runnerName() + slot(status(), "gpu1").runnerName();
        client.send("POST", "/v1/runner/test-job", new RunnerTestJob(true, "octo/gpu-ci", "Transcribe", "whisper",
                4242L, 2, "echo transcribing sample.wav\nip -4 addr show eth0\n. /job/network\n"
                + "wget -q -O /dev/null http://$gateway:" + github.server.getPort() + "/ && echo host-reached "
                + "|| echo host-refused"), Map.class);
        Job done = Await.value(() -> client.get("/v1/jobs", JobList.class).jobs().stream()
                        .filter(j -> Long.valueOf(4242).equals(j.runId()) && j.finished()).findFirst().orElse(null),
                j -> j != null, 120, "the test job finishes");
        assertEquals(JobState.SUCCEEDED.wire(), done.state(), done.toString());
        assertEquals(Job.KIND_GITHUB, done.kind());
        assertEquals("octo/gpu-ci", done.repository());
        assertEquals("Transcribe", done.workflow());
        assertEquals("whisper", done.jobName());
        assertEquals(2, done.runAttempt());
        assertEquals("octo/gpu-ci / Transcribe / whisper", done.name());
        assertEquals(1, done.gpus().size());
        String log = client.getText("/v1/jobs/" + done.id() + "/log");
        assertTrue(log.contains("transcribing sample.wav") && log.contains("completed with result: Succeeded"), log);
        // A runner VM has a network of its own, which reaches nothing of the host's (GitHub's stand-in here).
        assertTrue(log.contains("inet 10.201.") && log.contains("host-refused"), log);

        RunnerStatus refilled = awaitSlots(RunnerStatus.Slot.IDLE, 3, 120);
        assertNotEquals(before, slot(refilled, "gpu0").runnerName() + slot(refilled, "gpu1").runnerName(),
                "a GPU slot got a fresh runner");
        Await.until(() -> github.named(ours).size() == 3, 10, "the used runner is gone from GitHub");
        commandLines.addAll(vmmCommandLines());
    }

    @Test
    @Order(3)
    void aCrashedVmsRunnerIsDeletedAndTheSlotRefillsThroughA409() throws Exception {
        RunnerStatus.Slot cpu = slot(status(), "cpu0");
        long pid = Long.parseLong(Files.readString(daemon.stateDir().resolve("jobs").resolve(cpu.jobId().toString())
                .resolve("job.pid")).strip());
        github.conflictOnce = true; // the refill's name is taken by an idle runner: resolved by name
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        Await.until(() -> github.named(cpu.runnerName()).isEmpty(), 20, "the dead VM's runner is deleted");
        RunnerStatus back = Await.value(RunnerPoolTest::status, s -> RunnerStatus.Slot.IDLE.equals(slot(s, "cpu0")
                .state()) && !cpu.runnerName().equals(slot(s, "cpu0").runnerName()), 120, "cpu0 refilled");
        assertFalse(github.conflictOnce, "the 409 was hit");
        String fresh = slot(back, "cpu0").runnerName();
        assertEquals(1, github.named(fresh).size(), "exactly one runner holds the name after the 409");
        assertFalse(client.get("/v1/jobs", JobList.class).jobs().stream().anyMatch(j -> j.id() == cpu.jobId()),
                "an idle VM that died leaves no job record");
        assertTrue(client.getText("/v1/audit").contains("runner.slot"), "the crash is in the audit log");
        commandLines.addAll(vmmCommandLines());
    }

    @Test
    @Order(4)
    void fiveHundredsAndRateLimitsBackOffVisiblyAndRecover() throws Exception {
        github.failWith5xx = 2;
        Await.value(RunnerPoolTest::status, s -> s.github() != null && s.github().contains("502"), 10,
                "the back-off is shown");
        Await.value(RunnerPoolTest::status, s -> s.github() == null, 40, "GitHub is reached again");
        github.rateLimitedCalls = 1;
        RunnerStatus limited = Await.value(RunnerPoolTest::status, s -> s.github() != null
                && s.github().contains("rate limit"), 10, "the rate limit is shown");
        assertTrue(limited.github().contains("next try in"), limited.github());
        Await.value(RunnerPoolTest::status, s -> s.github() == null, 20, "the rate limit passes");
        assertEquals(3, status().slots().stream().filter(s -> RunnerStatus.Slot.IDLE.equals(s.state())).count());
    }

    @Test
    @Order(5)
    void pauseDrainsAndResumeRefills() throws Exception {
        RunnerStatus paused = client.send("POST", "/v1/runner/pause", null, RunnerStatus.class);
        assertTrue(paused.paused());
        awaitSlots(RunnerStatus.Slot.PAUSED, 3, 60);
        Await.until(() -> github.named(ours).isEmpty(), 20, "idle runners leave GitHub while paused");
        Await.until(() -> vmmCommandLines().isEmpty(), 20, "no VM runs while paused");
        client.send("POST", "/v1/runner/resume", null, RunnerStatus.class);
        awaitSlots(RunnerStatus.Slot.IDLE, 3, 120);
        commandLines.addAll(vmmCommandLines());
    }

    @Test
    @Order(6)
    void reclaimingAWarmSlotsCardStopsItsIdleRunnerAndLendingItAgainRefillsTheSlot() throws Exception {
        RunnerStatus idle = awaitSlots(RunnerStatus.Slot.IDLE, 3, 120);
        String card = slot(idle, "gpu1").gpu();
        String runner = slot(idle, "gpu1").runnerName();
        Gpu reclaimed = client.send("POST", "/v1/gpus/" + card + "/reclaim", Map.of(), Gpu.class);
        assertEquals("desk", reclaimed.lending().policy());
        Await.value(() -> client.get("/v1/gpus/" + card, Gpu.class), g -> g.is(GpuMode.HOST), 60,
                "the idle runner's VM stops and the card comes home");
        RunnerStatus waiting = Await.value(RunnerPoolTest::status, s -> s.slots().stream()
                .anyMatch(x -> RunnerStatus.Slot.WAITING.equals(x.state())), 30, "a GPU slot waits for a card");
        assertEquals(2, waiting.slots().stream().filter(x -> RunnerStatus.Slot.IDLE.equals(x.state())).count(),
                "the other GPU slot and the CPU slot listen on");
        Await.until(() -> github.named(runner).isEmpty(), 20, "the reclaimed card's runner is gone from GitHub");
        client.send("PUT", "/v1/gpus/" + card + "/lending", new org.rigdesk.api.wire.LendingRequest("ci", null, null),
                Gpu.class);
        awaitSlots(RunnerStatus.Slot.IDLE, 3, 120);
        commandLines.addAll(vmmCommandLines());
    }

    @Test
    @Order(7)
    void removeStopsThePoolAndDeletesOurIdleRunnersOnly() throws Exception {
        github.add(ours + "gpu9-busy", "online", true);
        github.add("someone-elses-runner", "online", false);
        client.send("DELETE", "/v1/runner", null, RunnerStatus.class);
        assertEquals(Stream.of(ours + "gpu9-busy", "someone-elses-runner").sorted().toList(),
                github.runners.values().stream().map(FakeGitHub.Runner::name).sorted().toList());
        Await.until(() -> vmmCommandLines().isEmpty(), 30, "the slots' VMs stop");
        // Each stopped VM's disks go with it (the config disk holds its JIT config).
        Await.until(() -> {
            try (Stream<Path> files = Files.walk(daemon.stateDir().resolve("jobs"))) {
                return files.noneMatch(file -> file.getFileName().toString().equals("config.img"));
            } catch (java.io.IOException e) {
                return false;
            }
        }, 10, "the stopped VMs' config disks are gone");
        assertFalse(status().registered());
    }

    @Test
    @Order(8)
    void neitherTheTokenNorAJitConfigLeaks() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(FakeGitHub.GOOD_TOKEN));
        github.jitRequests.forEach(jit -> secrets.add(jit.encodedJitConfig()));
        String database = new String(Files.readAllBytes(daemon.stateDir().resolve("rigdesk.db")),
                StandardCharsets.ISO_8859_1);
        java.util.Map<String, String> places = new java.util.LinkedHashMap<>();
        places.put("the daemon's log", daemon.log());
        places.put("/v1/jobs", client.getText("/v1/jobs"));
        places.put("/v1/audit", client.getText("/v1/audit"));
        places.put("/v1/runner", client.getText("/v1/runner"));
        places.put("the database", database);
        for (int i = 0; i < commandLines.size(); i++) {
            places.put("VMM command line " + i, commandLines.get(i));
        }
        try (Stream<Path> files = Files.walk(daemon.stateDir().resolve("jobs"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                places.put(file.toString(), Files.readString(file, StandardCharsets.ISO_8859_1)); // no config disk is left
            }
        }
        for (String secret : secrets) {
            places.forEach((where, text) -> assertFalse(text.contains(secret), "a secret leaked into " + where + ": "
                    + secret.substring(0, 8) + "…"));
        }
        assertTrue(commandLines.size() >= 3, "process lists were captured");
    }

    /** The command lines of the VMMs this daemon runs (its own state dir is on each). */
    static List<String> vmmCommandLines() {
        String marker = daemon.stateDir().toString();
        return ProcessHandle.allProcesses()
                .map(p -> p.info().commandLine().orElse(""))
                .filter(line -> line.contains("qemu-system") && line.contains(marker))
                .toList();
    }
}
