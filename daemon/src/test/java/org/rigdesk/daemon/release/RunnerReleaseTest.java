package org.rigdesk.daemon.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.client.DaemonException;
import org.rigdesk.api.wire.AuditLog;
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerRelease;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.api.wire.RunnerTestJob;
import org.rigdesk.testkit.FakeGitHub;
import org.rigdesk.testkit.StandInRunner;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;

/**
 * The runner comes from the host and stays current, through real VMs: the GitHub stand-in serves
 * the stand-in runner as actions/runner's latest release (digest, notes, a redirected download);
 * the daemon keeps it and each runner VM gets it read-only. A newer release reaches the next slot
 * with no new image; a tampered one is refused, audited, and the old one stays in use.
 */
class RunnerReleaseTest {

    @TempDir
    Path dir;

    private static RunnerRelease release(DaemonClient client) throws Exception {
        return client.get("/v1/runner", RunnerStatus.class).runnerRelease();
    }

    private static String console(DaemonProcess daemon, RunnerStatus.Slot slot) throws Exception {
        return Files.readString(daemon.stateDir().resolve("jobs").resolve(slot.jobId().toString()).resolve("console.log"));
    }

    private static RunnerStatus.Slot idleSlot(DaemonClient client, Long notJob) throws Exception {
        return Await.value(() -> client.get("/v1/runner", RunnerStatus.class).slots().get(0),
                s -> RunnerStatus.Slot.IDLE.equals(s.state()) && !s.jobId().equals(notJob), 120, "the slot's runner listens");
    }

    @Test
    void slotsBootTheKeptReleaseANewerOneReachesTheNextSlotAndATamperedOneIsRefused() throws Exception {
        try (FakeGitHub github = new FakeGitHub("/repos/octo/gpu-ci");
             DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop").withArgs("--runner-poll-ms", "500",
                     "--runner-release-check-seconds", "2").start();
             DaemonClient client = daemon.client()) {
            assertEquals(RunnerRelease.MISSING, release(client).state(), "nothing kept before a registration");
            client.send("PUT", "/v1/runner", new RunnerRegistration("https://github.com/octo/gpu-ci",
                    FakeGitHub.GOOD_TOKEN, List.of(), "rigdesk", null, github.apiUrl(), 0, 1, 1, 384), RunnerStatus.class);
            RunnerStatus.Slot first = idleSlot(client, -1L);
            assertTrue(console(daemon, first).contains("Current runner version: '" + StandInRunner.VERSION + "'"),
                    console(daemon, first));
            RunnerRelease kept = release(client);
            assertEquals(StandInRunner.VERSION, kept.version());
            assertEquals(RunnerRelease.CURRENT, kept.state(), kept.detail());
            assertTrue(kept.source().endsWith("actions-runner-linux-x64-" + StandInRunner.VERSION + ".tar.gz"), kept.source());
            Path disk = daemon.stateDir().resolve("runner-releases").resolve(StandInRunner.VERSION).resolve("runner.ext4");
            assertTrue(Files.isRegularFile(disk), "kept under the state directory");
            assertEquals(1, github.downloads.get(), "downloaded once, however many slots boot");

            // A release whose download is not what its digest says: refused, audited, the old one kept.
            github.publishTampered("2.331.0");
            RunnerRelease outdated = Await.value(() -> release(client), r -> RunnerRelease.OUTDATED.equals(r.state())
                    && r.detail().contains("SHA-256"), 30, "the tampered release is refused");
            assertEquals(StandInRunner.VERSION, outdated.version());
            assertTrue(outdated.detail().contains("v2.331.0 is out"), outdated.detail());
            assertTrue(client.get("/v1/audit?limit=50", AuditLog.class).entries().stream().anyMatch(e ->
                    "runner.release".equals(e.action()) && "refused".equals(e.outcome())
                            && "2.331.0".equals(e.target())), "the refusal is audited");
            assertTrue(Files.notExists(daemon.stateDir().resolve("runner-releases/2.331.0")));

            // A newer honest release: kept, and the next slot boots it with no new image.
            github.publish("2.332.0");
            Await.value(() -> release(client), r -> "2.332.0".equals(r.version())
                    && RunnerRelease.CURRENT.equals(r.state()), 30, "the newer release is kept");
            client.send("POST", "/v1/runner/test-job", new RunnerTestJob(false, "octo/gpu-ci", null, null, null, null,
                    "echo took the test job"), Map.class);
            RunnerStatus.Slot next = idleSlot(client, first.jobId());
            assertTrue(console(daemon, next).contains("Current runner version: '2.332.0'"), console(daemon, next));
            assertTrue(Files.isDirectory(daemon.stateDir().resolve("runner-releases").resolve(StandInRunner.VERSION)),
                    "the previous release is kept beside the current one");
        }
    }

    @Test
    void aTarballFromTheOwnerIsCheckedAndTooOldOrWrongOnesAreRefused() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(dir).start(); DaemonClient client = daemon.client()) {
            Path tarball = dir.resolve("actions-runner-linux-x64-2.333.0.tar.gz");
            byte[] bytes = StandInRunner.tarball("2.333.0");
            Files.write(tarball, bytes);
            DaemonException wrong = assertThrows(DaemonException.class,
                    () -> client.useRunnerTarball(tarball, null, "0".repeat(64)));
            assertEquals("runner-hash-mismatch", wrong.code());
            Path old = dir.resolve("actions-runner-linux-x64-2.300.0.tar.gz");
            Files.write(old, StandInRunner.tarball("2.300.0"));
            assertEquals("runner-too-old", assertThrows(DaemonException.class,
                    () -> client.useRunnerTarball(old, null, null)).code());
            Path junk = dir.resolve("actions-runner-linux-x64-2.334.0.tar.gz");
            Files.writeString(junk, "not a tarball");
            assertEquals("bad-runner-tarball", assertThrows(DaemonException.class,
                    () -> client.useRunnerTarball(junk, null, null)).code());
            // A tarball that reaches out of its directory: refused, and nothing lands outside.
            Path escaping = dir.resolve("actions-runner-linux-x64-2.335.0.tar.gz");
            Files.write(escaping, StandInRunner.tarball("2.335.0", "../../../escaped", "x".getBytes()));
            assertEquals("bad-runner-tarball", assertThrows(DaemonException.class,
                    () -> client.useRunnerTarball(escaping, null, null)).code());
            try (java.util.stream.Stream<Path> all = Files.walk(daemon.stateDir())) {
                assertTrue(all.noneMatch(p -> p.getFileName().toString().equals("escaped")), "nothing escaped");
            }
            Path unnamed = dir.resolve("runner.tgz");
            Files.write(unnamed, bytes);
            assertEquals(400, assertThrows(DaemonException.class, () -> client.useRunnerTarball(unnamed, null, null))
                    .status(), "no version to be told from the name");
            assertEquals(RunnerRelease.MISSING, release(client).state(), "nothing refused was kept");

            RunnerRelease unverified = client.useRunnerTarball(tarball, null, null).runnerRelease();
            assertEquals("2.333.0", unverified.version());
            assertEquals(RunnerRelease.UNVERIFIED, unverified.state());
            RunnerRelease checked = client.useRunnerTarball(unnamed, "2.333.1", StandInRunner.sha256(bytes)).runnerRelease();
            assertEquals("2.333.1", checked.version());
            assertTrue(List.of(RunnerRelease.CURRENT, RunnerRelease.OUTDATED).contains(checked.state()), checked.toString());
            assertTrue(checked.source().contains("runner.tgz"), checked.source());
        }
    }
}
