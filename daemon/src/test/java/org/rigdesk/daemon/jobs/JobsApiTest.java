package org.rigdesk.daemon.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.client.DaemonException;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobList;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.daemon.testing.RawHttp;

/** Jobs in real QEMU VMs (TCG) booting the test image, through a real daemon on the desktop demo rig. */
class JobsApiTest {

    private static final String SECRET = "hunter2-9f8e7d6c5b4a";

    @TempDir
    static Path dir;
    static DaemonProcess daemon;
    static DaemonClient client;

    @BeforeAll
    static void start() throws Exception {
        DaemonProcess.requireTestImage();
        daemon = new DaemonProcess(dir).simulate("desktop").withArgs("--cancel-grace", "2").start();
        client = daemon.client();
        // Both RTX 3060 join the passthrough pool.
        for (String bdf : List.of("0000:01:00.0", "0000:02:00.0")) {
            client.send("PUT", "/v1/gpus/" + bdf + "/mode", Map.of("mode", "vfio"), Gpu.class);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        daemon.close();
    }

    static JobRequest request(String script, int gpus, Integer timeout, Map<String, String> secrets) {
        return new JobRequest(null, script, IntNode.valueOf(gpus), 1, 256, timeout, null, secrets);
    }

    static Job submit(String script, int gpus) throws IOException {
        return client.send("POST", "/v1/jobs", request(script, gpus, null, null), Job.class);
    }

    static Job job(long id) {
        try {
            return client.get("/v1/jobs/" + id, Job.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Job awaitFinished(long id) throws InterruptedException {
        await(() -> job(id).finished(), 90);
        return job(id);
    }

    static void await(BooleanSupplier condition, int seconds) throws InterruptedException {
        org.rigdesk.testkit.Await.until(condition, seconds);
    }

    static String log(long id, long offset) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.stream("/v1/jobs/" + id + "/log?offset=" + offset, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aJobSucceedsWithItsOutputInTheLog() throws Exception {
        Job job = submit("uname -a; echo hello from the VM; cat /work/README", 1);
        assertEquals(JobState.QUEUED.wire(), job.state());
        Job done = awaitFinished(job.id());
        assertEquals(JobState.SUCCEEDED.wire(), done.state(), done.toString());
        assertEquals(0, done.exitCode());
        assertEquals("qemu", done.vmm());
        assertEquals("tcg", done.accel());
        assertTrue(done.gpusSimulated());
        assertEquals(1, done.gpus().size());
        String log = log(job.id(), 0);
        assertTrue(log.contains("Linux rigdesk-test 6.1.0"), log);
        assertTrue(log.contains("hello from the VM"), log);
        assertTrue(log.contains("Rigdesk test image"), "the root disk is mounted at /work:\n" + log);
        assertTrue(log.contains("simulated"), log);
        assertEquals(Files.size(daemon.stateDir().resolve("jobs/" + job.id() + "/console.log")), done.logBytes());
        // A view that kept only part of the log reads back the rest a range at a time.
        byte[] whole = log.getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(java.util.Arrays.copyOfRange(whole, 10, 30), client.readLog(job.id(), 10, 20));
        assertArrayEquals(java.util.Arrays.copyOfRange(whole, whole.length - 5, whole.length),
                client.readLog(job.id(), whole.length - 5, 1000), "fewer bytes at the end");
        assertEquals(0, client.readLog(job.id(), whole.length + 7, 10).length);
        for (String bad : List.of("0", "-3", "ten", Long.toString((16L << 20) + 1))) {
            DaemonException refused = assertThrows(DaemonException.class, () -> client.stream("/v1/jobs/"
                    + job.id() + "/log?offset=0&limit=" + bad, java.io.OutputStream.nullOutputStream()));
            assertEquals(400, refused.status(), bad);
            assertTrue(refused.getMessage().contains("limit must"), refused.getMessage());
        }
        Path jobDir = daemon.stateDir().resolve("jobs/" + job.id());
        assertFalse(Files.exists(jobDir.resolve("root.qcow2")), "the overlay is removed");
        assertFalse(Files.exists(jobDir.resolve("config.img")), "the config disk is removed");
        assertNull(client.get("/v1/gpus/" + done.gpus().get(0), Gpu.class).usedBy(), "the GPU is free again");
    }

    @Test
    void aNonZeroExitFailsTheJobWithItsCode() throws Exception {
        Job done = awaitFinished(submit("echo about to fail; exit 42", 0).id());
        assertEquals(JobState.FAILED.wire(), done.state());
        assertEquals(42, done.exitCode());
        DaemonException e = assertThrows(DaemonException.class,
                () -> client.getText("/v1/jobs/" + done.id() + "/log?follow=yes"));
        assertEquals(400, e.status(), "follow=yes is neither true nor false, not a quiet 'no'");
        assertTrue(e.getMessage().contains("follow must be true or false, got 'yes'"), e.getMessage());
    }

    @Test
    void aGuestThatFloodsTheControlChannelFailsItsJobAndFreesItsGpu() throws Exception {
        // A hostile job: one 200 KB line without an end on the control channel, then it waits.
        Job job = submit("head -c 200000 /dev/zero | tr '\\0' a > /dev/hvc0; sleep 120", 1);
        Job done = awaitFinished(job.id());
        assertEquals(JobState.FAILED.wire(), done.state(), done.toString());
        assertEquals("the guest sent a control line over 64 KiB", done.error());
        assertNull(client.get("/v1/gpus/" + done.gpus().get(0), Gpu.class).usedBy(), "the GPU is free again");
        assertNotNull(client.info(), "the daemon answers");
    }

    @Test
    void aJobLongerThanItsTimeoutIsStopped() throws Exception {
        // 30 s: the timeout counts from boot, and a TCG boot on a loaded 2-core machine can take 10 s.
        Job job = client.send("POST", "/v1/jobs", request("echo waiting; sleep 300", 0, 30, null), Job.class);
        Job done = awaitFinished(job.id());
        assertEquals(JobState.TIMED_OUT.wire(), done.state(), done.toString());
        assertTrue(done.error().contains("timeout of 30 s"), done.error());
        assertTrue(log(job.id(), 0).contains("waiting"));
    }

    @Test
    void cancelWhileBootingAndWhileRunning() throws Exception {
        Job booting = submit("sleep 300", 0);
        // A follower of a job that has printed nothing yet hears at once that it is connected
        // (the window says "Following…" instead of "Loading…" until the first line).
        CompletableFuture<java.io.InputStream> follower = CompletableFuture.supplyAsync(() -> {
            try {
                return client.openLog(booting.id(), 0, true);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        follower.get(5, TimeUnit.SECONDS).close();
        Job cancelled = client.send("POST", "/v1/jobs/" + booting.id() + "/cancel", null, Job.class);
        assertNotNull(cancelled);
        assertEquals(JobState.CANCELLED.wire(), awaitFinished(booting.id()).state());

        Job running = submit("echo started; sleep 300", 0);
        await(() -> job(running.id()).is(JobState.RUNNING), 60);
        client.send("POST", "/v1/jobs/" + running.id() + "/cancel", null, Job.class);
        Job done = awaitFinished(running.id());
        assertEquals(JobState.CANCELLED.wire(), done.state());
        DaemonException again = assertThrows(DaemonException.class,
                () -> client.send("POST", "/v1/jobs/" + running.id() + "/cancel", null, Job.class));
        assertEquals(409, again.status());
    }

    @Test
    void aVmmThatCrashesFailsItsJobWithTheReasonAndFreesTheGpu() throws Exception {
        Job running = submit("echo started; sleep 300", 1);
        await(() -> job(running.id()).is(JobState.RUNNING), 90);
        String bdf = job(running.id()).gpus().get(0);
        long pid = Long.parseLong(Files.readString(daemon.stateDir().resolve("jobs/" + running.id() + "/job.pid")).strip());
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // the VMM dies, as on a segfault or the OOM killer
        Job crashed = awaitFinished(running.id());
        assertEquals(JobState.FAILED.wire(), crashed.state());
        assertTrue(crashed.error().contains("the VM stopped without reporting the job's exit (qemu was killed by "
                + "signal 9)"), crashed.error());
        assertTrue(client.getText("/v1/jobs/" + running.id() + "/log").contains("started"), "its log is kept");
        await(() -> {
            try {
                return client.get("/v1/gpus/" + bdf, Gpu.class).usedBy() == null;
            } catch (IOException e) {
                return false;
            }
        }, 10);
        assertEquals(JobState.SUCCEEDED.wire(), awaitFinished(submit("echo fine", 1).id()).state(), "the GPU serves the next job");
    }

    @Test
    void twoGpuJobsRunAtOnceAndAThirdWaitsForAGpu() throws Exception {
        Job first = submit("echo one; sleep 6", 1);
        Job second = submit("echo two; sleep 6", 1);
        Job third = submit("echo three", 1);
        await(() -> job(first.id()).is(JobState.RUNNING) && job(second.id()).is(JobState.RUNNING), 60);
        assertEquals(JobState.QUEUED.wire(), job(third.id()).state(), "no third GPU: it waits");
        List<String> held = client.get("/v1/gpus", org.rigdesk.api.wire.GpuList.class).gpus().stream()
                .filter(g -> g.usedBy() != null).map(Gpu::usedBy).sorted().toList();
        assertEquals(List.of(Long.toString(first.id()), Long.toString(second.id())), held);
        DaemonException busy = assertThrows(DaemonException.class, () -> client.send("PUT",
                "/v1/gpus/" + job(first.id()).gpus().get(0) + "/mode", Map.of("mode", "host"), Gpu.class));
        assertEquals("busy", busy.code(), "a GPU in a job cannot be toggled");
        assertEquals(JobState.SUCCEEDED.wire(), awaitFinished(third.id()).state());
        assertTrue(job(third.id()).startedAt().isAfter(job(first.id()).startedAt()));
        assertEquals(JobState.SUCCEEDED.wire(), awaitFinished(first.id()).state());
        assertEquals(JobState.SUCCEEDED.wire(), awaitFinished(second.id()).state());
    }

    @Test
    void theLogFollowsWhileTheJobRunsAndResumesFromAnOffset() throws Exception {
        Job job = submit("for i in 1 2 3 4 5 6; do echo line $i; sleep 1; done", 0);
        ByteArrayOutputStream followed = new ByteArrayOutputStream();
        CompletableFuture<Long> follow = CompletableFuture.supplyAsync(() -> {
            try {
                return client.stream("/v1/jobs/" + job.id() + "/log?follow=true", followed);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        await(() -> followed.toString(StandardCharsets.UTF_8).contains("line 2"), 60);
        assertFalse(job(job.id()).finished(), "lines arrive while the job still runs");
        long bytes = follow.get(60, TimeUnit.SECONDS);
        String whole = followed.toString(StandardCharsets.UTF_8);
        assertTrue(whole.contains("line 6"), whole);
        assertTrue(job(job.id()).finished(), "the stream ends when the job ends");
        int cut = whole.indexOf("line 4");
        String rest = log(job.id(), whole.substring(0, cut).getBytes(StandardCharsets.UTF_8).length);
        assertTrue(rest.startsWith("line 4"), rest);
        assertEquals(bytes, job(job.id()).logBytes());
    }

    @Test
    void aSecretNeverShowsInProcessListsLogsTheApiOrTheDatabase() throws Exception {
        Job job = client.send("POST", "/v1/jobs", request("echo token length ${#TOKEN}; sleep 3", 0, null,
                Map.of("TOKEN", SECRET)), Job.class);
        await(() -> job(job.id()).is(JobState.RUNNING), 60);
        List<String> commandLines = ProcessHandle.allProcesses()
                .map(p -> p.info().commandLine().orElse("")).filter(c -> c.contains(SECRET)).toList();
        assertEquals(List.of(), commandLines, "ps shows the secret");
        // The VMM that faces the guest runs under its own seccomp filter.
        ProcessHandle vmm = ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("")
                .contains("-name rigdesk-job-" + job.id() + " ")).findFirst().orElseThrow();
        String status = Files.readString(Path.of("/proc", Long.toString(vmm.pid()), "status"));
        assertTrue(status.contains("\nSeccomp:\t2\n"), "QEMU is not seccomp-filtered:\n" + status);
        Job done = awaitFinished(job.id());
        assertEquals(JobState.SUCCEEDED.wire(), done.state());
        String log = log(job.id(), 0);
        assertTrue(log.contains("token length " + SECRET.length()), "the guest got it:\n" + log);
        assertFalse(log.contains(SECRET));
        assertFalse(client.getText("/v1/jobs/" + job.id()).contains(SECRET));
        assertFalse(client.getText("/v1/jobs").contains(SECRET));
        assertFalse(client.getText("/v1/audit").contains(SECRET));
        assertFalse(daemon.log().contains(SECRET));
        try (var files = Files.walk(daemon.stateDir())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(SECRET),
                        "the secret is in " + file);
            }
        }
    }

    @Test
    void badSpecsAre400AndStartNothing() throws Exception {
        int before = client.get("/v1/jobs?limit=1000", JobList.class).jobs().size();
        List<JobRequest> bad = List.of(
                new JobRequest(null, "true", null, -1, null, null, null, null),
                new JobRequest(null, "true", null, 1, 1024 * 1024 * 1024, null, null, null),
                new JobRequest(null, "true", new com.fasterxml.jackson.databind.ObjectMapper().readTree("[\"0000:09:00.0\"]"),
                        1, 256, null, null, null),
                new JobRequest(null, "true", new com.fasterxml.jackson.databind.ObjectMapper().readTree("[\"../x\"]"),
                        1, 256, null, null, null),
                new JobRequest(null, "x".repeat(JobsConfig.MAX_SCRIPT_BYTES + 1), null, 1, 256, null, null, null),
                new JobRequest(null, " ", null, 1, 256, null, null, null),
                new JobRequest(null, "true", null, 1, 256, 0, null, null),
                new JobRequest(null, "true", null, 1, 256, null, Map.of("BAD NAME", "x"), null));
        for (JobRequest request : bad) {
            DaemonException e = assertThrows(DaemonException.class,
                    () -> client.send("POST", "/v1/jobs", request, Job.class));
            assertTrue(e.status() == 400 || e.status() == 413, e.status() + " " + e.getMessage());
        }
        for (String junk : List.of("{not json", "[]", "{\"script\":1}", "{\"script\":\"true\",\"cpus\":\"two\"}")) {
            try (RawHttp raw = new RawHttp(daemon.socket())) {
                String reply = raw.send("POST /v1/jobs HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: "
                        + junk.length() + "\r\n\r\n" + junk).readUntil("}", Duration.ofSeconds(5));
                assertTrue(reply.startsWith("HTTP/1.1 400"), junk + " -> " + reply);
            }
        }
        DaemonException tooMany = assertThrows(DaemonException.class,
                () -> client.send("POST", "/v1/jobs", request("true", 3, null, null), Job.class));
        assertEquals(409, tooMany.status(), "three GPUs asked, two in the pool");
        assertEquals(before, client.get("/v1/jobs?limit=1000", JobList.class).jobs().size(), "no job was created");
    }
}
