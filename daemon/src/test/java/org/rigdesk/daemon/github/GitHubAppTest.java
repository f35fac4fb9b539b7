package org.rigdesk.daemon.github;

import org.rigdesk.testkit.FakeGitHub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.client.DaemonException;
import org.rigdesk.api.wire.GitHubApp;
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.api.wire.RunnerTestJob;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;

/**
 * Signing in as a GitHub App against a stand-in that checks the JWT (signature with the App's public
 * key, iss, iat, exp) and hands out installation tokens that expire within seconds: registration,
 * slot refills, reconciliation and queue reads go on across renewals, no call is made with an
 * expired token that a renewal should have replaced, and the key reaches no log, answer, audit
 * entry, SQLite row, job log or command line.
 */
class GitHubAppTest {

    @TempDir
    Path dir;

    private static RunnerRegistration app(FakeGitHub github, String appId, String pem, Long installation, String group) {
        return new RunnerRegistration("https://github.com/octo", null, List.of(), "rigdesk", null, github.apiUrl(),
                0, 1, 1, 384, null, null, 2, null, new GitHubApp(appId, pem, installation), group, null, null, null);
    }

    @Test
    void anAppSignsInRenewsItsShortLivedTokensAndItsKeyGoesNowhere() throws Exception {
        try (FakeGitHub github = new FakeGitHub("/orgs/octo");
             DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop").withArgs("--runner-poll-ms", "300").start();
             DaemonClient client = daemon.client()) {
            String pem = github.createApp("913742");
            github.tokenLife = Duration.ofSeconds(8);
            github.runnerGroups.put(7L, "gpu-rigs");
            github.pushedAt.put("octo/app", java.time.Instant.now()); // the organisation's queue: this repository's runs
            String keyBody = pem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();

            String strangerPem;
            try (FakeGitHub stranger = new FakeGitHub("/orgs/octo")) {
                strangerPem = stranger.createApp("913742");
            }
            DaemonException wrongKey = assertThrows(DaemonException.class, () -> client.send("PUT", "/v1/runner",
                    app(github, "913742", strangerPem, null, null), RunnerStatus.class));
            assertEquals("bad-app", wrongKey.code());
            assertTrue(github.jwtRefusals.contains("bad signature"), github.jwtRefusals.toString());
            assertEquals("bad-request", assertThrows(DaemonException.class, () -> client.send("PUT", "/v1/runner",
                    app(github, "913742", "-----BEGIN RSA PRIVATE KEY-----\nnonsense\n-----END RSA PRIVATE KEY-----",
                            null, null), RunnerStatus.class)).code());
            DaemonException noGroup = assertThrows(DaemonException.class, () -> client.send("PUT", "/v1/runner",
                    app(github, "913742", pem, null, "cpu-farm"), RunnerStatus.class));
            assertEquals("unknown-runner-group", noGroup.code());
            assertTrue(noGroup.problem().remedy().contains("gpu-rigs (7)"), noGroup.problem().remedy());
            assertFalse(client.get("/v1/runner", RunnerStatus.class).registered(), "a refused App changes nothing");

            RunnerStatus registered = client.send("PUT", "/v1/runner", app(github, "913742", pem, null, "gpu-rigs"),
                    RunnerStatus.class);
            assertEquals("app", registered.signIn());
            assertEquals(Long.valueOf(4242), registered.installationId(), "the installation was found for the organisation");
            assertEquals("gpu-rigs", registered.runnerGroup());
            assertEquals(7, registered.runnerGroupId());
            Path keyFile = daemon.stateDir().resolve("runner-app-key");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
            assertTrue(github.installationTokens.keySet().stream().allMatch(t -> t.length() > 255),
                    "installation tokens longer than 255 characters are taken as they are");

            // Several token lifetimes: a slot fills, takes a test job and refills; the pool reconciles
            // and reads the queue all along.
            Await.value(() -> client.get("/v1/runner", RunnerStatus.class).slots().get(0),
                    s -> RunnerStatus.Slot.IDLE.equals(s.state()), 120, "the slot's runner listens");
            client.send("POST", "/v1/runner/test-job", new RunnerTestJob(false, "octo/app", null, null, null, null,
                    "echo job under an App"), Map.class);
            int requestsBefore = github.requests.size();
            Thread.sleep(20_000);
            Await.until(() -> github.jitRequests.size() >= 2, 120, "the slot refilled after its job");
            assertTrue(github.installationTokens.size() >= 3, "tokens were renewed: " + github.installationTokens.size());
            assertTrue(github.jitRequests.stream().allMatch(j -> j.runnerGroupId() == 7), "runners go to the named group");
            assertTrue(github.requests.subList(requestsBefore, github.requests.size()).stream()
                    .anyMatch(r -> r.endsWith("/actions/runners")), "reconciliation went on");
            assertTrue(github.requests.subList(requestsBefore, github.requests.size()).stream()
                    .anyMatch(r -> r.equals("GET /repos/octo/app/actions/runs")), "queue reads went on");
            assertEquals(0, github.expiredTokenCalls.get(), "tokens are renewed before they expire");
            assertEquals(null, client.get("/v1/runner", RunnerStatus.class).github(), "GitHub answers throughout");

            // The key is stored for the daemon alone and said nowhere else.
            List<String> places = Stream.of(client.getText("/v1/runner"), client.getText("/v1/audit?limit=200"),
                    daemon.log(), new String(Files.readAllBytes(daemon.stateDir().resolve("rigdesk.db")),
                            StandardCharsets.ISO_8859_1),
                    new String(Files.readAllBytes(Path.of("/proc", Long.toString(daemon.process().pid()), "cmdline")),
                            StandardCharsets.ISO_8859_1)).toList();
            for (String place : places) {
                assertFalse(place.contains(keyBody), "the App's key leaked");
                assertTrue(github.installationTokens.keySet().stream().noneMatch(place::contains), "a token leaked");
            }
            try (Stream<Path> logs = Files.walk(daemon.stateDir().resolve("jobs"))) {
                for (Path log : logs.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".log")).toList()) {
                    assertFalse(Files.readString(log, StandardCharsets.ISO_8859_1).contains(keyBody), log.toString());
                }
            }
        }
    }
}
