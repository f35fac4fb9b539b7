package org.rigdesk.daemon.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.client.DaemonException;
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.testkit.FakeGitHub;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;

/** Registering with GitHub through a real daemon, against the local GitHub stand-in. */
class RunnerApiTest {

    @TempDir
    Path dir;

    private static RunnerRegistration registration(FakeGitHub github, String token) {
        return new RunnerRegistration("https://github.com/octo/gpu-ci", token, List.of("whisper"), "rigdesk", null,
                github.apiUrl(), 1, 1, null, null);
    }

    @Test
    void aTokenIsCheckedStoredPrivatelyAndNeverShownAndRemovalDeletesOnlyOurIdleRunners() throws Exception {
        try (FakeGitHub github = new FakeGitHub("/repos/octo/gpu-ci");
             DaemonProcess daemon = new DaemonProcess(dir).withArgs("--runner-poll-ms", "200").start();
             DaemonClient client = daemon.client()) {
            Path tokenFile = daemon.stateDir().resolve("runner-token");
            DaemonException bad = assertThrows(DaemonException.class,
                    () -> client.send("PUT", "/v1/runner", registration(github, "ghp_wrong"), RunnerStatus.class));
            assertEquals(400, bad.status());
            assertEquals("bad-token", bad.code());
            assertTrue(bad.problem().remedy().contains("Administration: write"), bad.problem().remedy());
            DaemonException readOnly = assertThrows(DaemonException.class, () -> client.send("PUT", "/v1/runner",
                    registration(github, FakeGitHub.READ_ONLY_TOKEN), RunnerStatus.class));
            assertEquals("missing-permission", readOnly.code());
            DaemonException junk = assertThrows(DaemonException.class, () -> client.send("PUT", "/v1/runner",
                    new RunnerRegistration("ftp://github.com/x", "t", null, null, null, null, null, null, null, null),
                    RunnerStatus.class));
            assertEquals(400, junk.status());
            assertFalse(Files.exists(tokenFile), "a refused token is not stored");
            assertFalse(client.get("/v1/runner", RunnerStatus.class).registered());

            RunnerStatus registered = client.send("PUT", "/v1/runner", registration(github, FakeGitHub.GOOD_TOKEN),
                    RunnerStatus.class);
            assertTrue(registered.registered());
            assertEquals("octo/gpu-ci", registered.scope());
            assertEquals("…1234", registered.tokenHint());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));

            String ours = registered.ownedPrefix();
            assertTrue(ours.matches("rigdesk-[a-z0-9-]{1,16}-"), ours);
            github.add(ours + "gpu0-busy", "online", true);
            github.add(ours + "gpu0-stale", "offline", false);
            github.add("rigdesk-otherhost-gpu0-1", "online", false);
            github.add("someone-elses-runner", "online", false);
            // The reconciler deletes the stale idle runner no VM of ours serves; the busy one stays.
            Await.until(() -> github.named(ours + "gpu0-stale").isEmpty(), 10, "the stale runner is deleted");
            RunnerStatus status = Await.value(() -> client.get("/v1/runner", RunnerStatus.class),
                    s -> s.runners().stream().anyMatch(r -> r.name().equals(ours + "gpu0-busy")), 10,
                    "our busy runner is listed");
            assertTrue(status.runners().stream().allMatch(r -> r.name().startsWith(ours)),
                    "only this host's runners are listed: " + status.runners());
            assertTrue(status.rateLimitRemaining() != null && status.lastApiContact() != null);

            for (String answer : List.of(client.getText("/v1/runner"), client.getText("/v1/audit"))) {
                assertFalse(answer.contains(FakeGitHub.GOOD_TOKEN), "the token never comes back");
            }
            assertFalse(daemon.log().contains(FakeGitHub.GOOD_TOKEN), "nor reaches the log");
            assertFalse(new String(Files.readAllBytes(daemon.stateDir().resolve("rigdesk.db")), StandardCharsets.ISO_8859_1)
                    .contains(FakeGitHub.GOOD_TOKEN), "nor SQLite");

            RunnerStatus removed = client.send("DELETE", "/v1/runner", null, RunnerStatus.class);
            assertFalse(removed.registered());
            assertEquals(java.util.stream.Stream.of(ours + "gpu0-busy", "rigdesk-otherhost-gpu0-1", "someone-elses-runner")
                            .sorted().toList(),
                    github.runners.values().stream().map(FakeGitHub.Runner::name).sorted().toList(),
                    "idle ours deleted; busy, other hosts' and foreign kept");
            assertFalse(Files.exists(tokenFile), "the token is forgotten");
        }
    }

    @Test
    void aRegistrationSurvivesARestart() throws Exception {
        try (FakeGitHub github = new FakeGitHub("/repos/octo/gpu-ci")) {
            try (DaemonProcess daemon = new DaemonProcess(dir).start(); DaemonClient client = daemon.client()) {
                client.send("PUT", "/v1/runner", registration(github, FakeGitHub.GOOD_TOKEN), RunnerStatus.class);
            }
            try (DaemonProcess again = new DaemonProcess(dir).start(); DaemonClient client = again.client()) {
                RunnerStatus status = client.get("/v1/runner", RunnerStatus.class);
                assertTrue(status.registered());
                assertEquals(List.of("whisper"), status.labels());
            }
        }
    }
}
