package org.rigdesk.daemon.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
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
import org.rigdesk.api.client.DaemonException;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.CacheInfo;
import org.rigdesk.api.wire.CacheList;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.daemon.testing.JobWaits;

/**
 * Persistent caches with real VMs (QEMU, TCG): a trusted job's writes reach the next job; a job
 * that may only read overwrites and deletes, and the next job still sees the trusted content; a
 * trusted job that fails changes nothing; the cap is the filesystem's size; clearing is refused
 * while a job uses the cache; a daemon killed during a merge leaves the old cache whole (fsck
 * clean).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CacheTest {

    @TempDir
    static Path dir;
    static DaemonProcess daemon;
    static DaemonClient client;

    @BeforeAll
    static void start() throws Exception {
        DaemonProcess.requireTestImage();
        daemon = new DaemonProcess(dir).start();
        client = daemon.client();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    static JobRequest job(String script, String cache, Boolean write) {
        return new JobRequest(null, script, null, 1, 256, 600, null, null, null, cache, write);
    }

    static Job run(DaemonClient on, String script, String cache, Boolean write) throws Exception {
        Job job = on.send("POST", "/v1/jobs", job(script, cache, write), Job.class);
        return JobWaits.finished(on, job.id(), 300);
    }

    static CacheInfo cache(DaemonClient on, String name) throws Exception {
        return on.get("/v1/caches", CacheList.class).caches().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow();
    }

    @Test
    @Order(1)
    void aTrustedJobsWritesReachTheNextJobAndAnUntrustedOneCannotChangeThem() throws Exception {
        Job trusted = run(client, "echo weights-v1 > $HF_HOME/model.bin && mkdir -p $PIP_CACHE_DIR/wheels "
                + "&& echo torch > $PIP_CACHE_DIR/wheels/torch.whl && echo HF_HOME=$HF_HOME", "models", true);
        assertEquals(JobState.SUCCEEDED.wire(), trusted.state(), JobWaits.log(client, trusted.id()));
        String log = JobWaits.log(client, trusted.id());
        assertTrue(log.contains("HF_HOME=/cache/huggingface"), log);
        assertTrue(log.contains("cache models: this job's changes are kept for the next job"), log);

        Job reader = run(client, "cat $HF_HOME/model.bin; echo poisoned > $HF_HOME/model.bin; rm -rf $PIP_CACHE_DIR; "
                + "echo evil > /cache/backdoor.sh; cat $HF_HOME/model.bin", "models", null);
        assertEquals(JobState.SUCCEEDED.wire(), reader.state());
        String readerLog = JobWaits.log(client, reader.id());
        assertTrue(readerLog.contains("weights-v1") && readerLog.contains("poisoned"), readerLog);
        assertTrue(readerLog.contains("changes were thrown away"), readerLog);

        Job failing = run(client, "echo half-written > $HF_HOME/model.bin; exit 3", "models", true);
        assertEquals(JobState.FAILED.wire(), failing.state());
        assertTrue(JobWaits.log(client, failing.id()).contains("the job did not succeed"));

        Job next = run(client, "cat $HF_HOME/model.bin; cat $PIP_CACHE_DIR/wheels/torch.whl; "
                + "ls /cache/backdoor.sh 2>&1 || true", "models", null);
        String nextLog = JobWaits.log(client, next.id());
        assertTrue(nextLog.contains("weights-v1") && nextLog.contains("torch"), nextLog);
        assertFalse(nextLog.contains("poisoned") || nextLog.contains("half-written"), nextLog);
        assertTrue(nextLog.contains("No such file"), "the untrusted job's new file is not there: " + nextLog);

        CacheInfo models = cache(client, "models");
        assertEquals(trusted.id(), models.lastCommitJob());
        assertTrue(models.sizeBytes() > 0 && models.sizeBytes() < models.capBytes(), models.toString());
        assertEquals(Caches.DEFAULT_CAP_BYTES, models.capBytes());
        assertEquals(List.of("discarded", "discarded", "discarded", "committed"),
                models.recent().stream().map(CacheInfo.Use::outcome).toList());
        assertTrue(models.inUseBy().isEmpty());
    }

    @Test
    @Order(2)
    void badCacheRequestsAreRefused() {
        assertEquals(400, assertThrows(DaemonException.class, () -> client.send("POST", "/v1/jobs",
                job("true", "../etc", null), Job.class)).status());
        assertEquals(400, assertThrows(DaemonException.class, () -> client.send("POST", "/v1/jobs",
                job("true", null, true), Job.class)).status(), "cacheWrite without a cache");
        assertEquals(400, assertThrows(DaemonException.class, () -> client.send("PUT", "/v1/caches/tiny",
                Map.of("capBytes", 1024), CacheInfo.class)).status(), "a cap under 16 MiB");
        assertEquals(404, assertThrows(DaemonException.class, () -> client.send("DELETE", "/v1/caches/nothing", null,
                CacheList.class)).status());
    }

    @Test
    @Order(3)
    void theCapIsTheCachesSize() throws Exception {
        CacheInfo tiny = client.send("PUT", "/v1/caches/tiny", Map.of("capBytes", 32L << 20), CacheInfo.class);
        assertEquals(32L << 20, tiny.capBytes());
        assertEquals(409, assertThrows(DaemonException.class, () -> client.send("PUT", "/v1/caches/tiny",
                Map.of("capBytes", 64L << 20), CacheInfo.class)).status(), "an existing cache keeps its cap");
        Job big = run(client, "dd if=/dev/zero of=$HF_HOME/big.bin bs=1M count=48 2>&1; echo dd-exit=$?", "tiny", true);
        String log = JobWaits.log(client, big.id());
        assertTrue(log.contains("No space left on device") && !log.contains("dd-exit=0"), log);
    }

    @Test
    @Order(4)
    void clearingIsRefusedWhileAJobUsesTheCacheAndWorksAfter() throws Exception {
        Job holding = client.send("POST", "/v1/jobs", job("sleep 300", "tiny", null), Job.class);
        Await.value(() -> cache(client, "tiny"), c -> c.inUseBy().contains(holding.id()), 60, "the job holds the cache");
        DaemonException refused = assertThrows(DaemonException.class,
                () -> client.send("DELETE", "/v1/caches/tiny", null, CacheList.class));
        assertEquals(409, refused.status());
        assertEquals("cache-in-use", refused.code());
        assertTrue(refused.problem().remedy().contains("rigdesk cancel " + holding.id()), refused.problem().remedy());
        client.send("POST", "/v1/jobs/" + holding.id() + "/cancel", null, Job.class);
        JobWaits.finished(client, holding.id(), 120);
        CacheList left = client.send("DELETE", "/v1/caches/tiny", null, CacheList.class);
        assertEquals(List.of("models"), left.caches().stream().map(CacheInfo::name).toList());
        assertFalse(Files.exists(daemon.stateDir().resolve("caches").resolve("tiny")));
    }

    @Test
    @Order(5)
    void aDaemonKilledDuringAMergeLeavesTheOldCacheWhole() throws Exception {
        client.close();
        daemon.close();
        try (DaemonProcess pausing = new DaemonProcess(dir).withArgs("--debug-pause-in-merge").start();
             DaemonClient on = pausing.client()) {
            Job writer = on.send("POST", "/v1/jobs", job("echo weights-v2 > $HF_HOME/model.bin", "models", true),
                    Job.class);
            Await.until(() -> pausing.log().contains("debug: merge paused"), 300, "the merge pauses before its rename");
            assertTrue(files(pausing.stateDir().resolve("caches/models")).stream().anyMatch(f -> f.endsWith(".qcow2.next")));
            pausing.kill();
            assertTrue(writer.id() > 0);
        }
        daemon = new DaemonProcess(dir).start();
        client = daemon.client();
        List<String> left = files(daemon.stateDir().resolve("caches/models"));
        assertEquals(1, left.size(), "the merge cut short is removed at start, one generation stays: " + left);
        assertClean(daemon.stateDir().resolve("caches/models").resolve(left.get(0)));
        Job reader = run(client, "cat $HF_HOME/model.bin", "models", null);
        String log = JobWaits.log(client, reader.id());
        assertTrue(log.contains("weights-v1") && !log.contains("weights-v2"), log);
    }

    @Test
    @Order(6)
    void twoTrustedJobsWritingOneCacheAtOnceLeaveExactlyOneJobsWritesAndACleanFilesystem() throws Exception {
        // Both start on the same generation and are still running when the first one commits.
        String write = "mkdir -p /cache/%1$s && for i in $(seq 200); do echo %1$s > /cache/%1$s/$i; done && sync && sleep 15";
        Job a = client.send("POST", "/v1/jobs", job(String.format(write, "a"), "models", true), Job.class);
        Job b = client.send("POST", "/v1/jobs", job(String.format(write, "b"), "models", true), Job.class);
        Job doneA = JobWaits.finished(client, a.id(), 300);
        Job doneB = JobWaits.finished(client, b.id(), 300);
        assertEquals(JobState.SUCCEEDED.wire(), doneA.state(), JobWaits.log(client, a.id()));
        assertEquals(JobState.SUCCEEDED.wire(), doneB.state(), JobWaits.log(client, b.id()));
        String logs = JobWaits.log(client, a.id()) + JobWaits.log(client, b.id());
        assertTrue(logs.contains("this job's changes are kept for the next job"), logs);
        assertTrue(logs.contains("another job committed first (job "), logs);

        CacheInfo models = cache(client, "models");
        long winner = models.lastCommitJob();
        String kept = winner == a.id() ? "a" : "b";
        String lost = winner == a.id() ? "b" : "a";
        CacheInfo.Use loser = models.recent().stream().filter(u -> u.jobId() == (winner == a.id() ? b.id() : a.id()))
                .findFirst().orElseThrow();
        assertEquals("discarded", loser.outcome());
        assertEquals("another job committed first (job " + winner + ")", loser.reason());

        Job reader = run(client, "ls /cache/" + kept + " | wc -l; ls /cache/" + lost + " 2>&1 | head -1", "models", null);
        String log = JobWaits.log(client, reader.id());
        assertTrue(log.lines().anyMatch(line -> line.strip().equals("200")), "all of the winner's files: " + log);
        assertTrue(log.contains("No such file"), "nothing of the other's: " + log);
        List<String> images = files(daemon.stateDir().resolve("caches/models"));
        assertEquals(1, images.size(), images.toString());
        assertClean(daemon.stateDir().resolve("caches/models").resolve(images.get(0)));
    }

    private static List<String> files(Path cache) throws Exception {
        try (var list = Files.list(cache)) {
            return list.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    /** {@code e2fsck -fn} finds nothing wrong with the filesystem in the image. */
    private static void assertClean(Path image) throws Exception {
        Path raw = dir.resolve("fsck.raw");
        new ProcessBuilder("qemu-img", "convert", "-O", "raw", image.toString(), raw.toString()).inheritIO().start()
                .waitFor();
        Process fsck = new ProcessBuilder("e2fsck", "-fn", raw.toString()).redirectErrorStream(true).start();
        String fsckOut = new String(fsck.getInputStream().readAllBytes());
        assertEquals(0, fsck.waitFor(), fsckOut);
        Files.delete(raw);
    }
}
