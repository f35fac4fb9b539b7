package org.rigdesk.daemon.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.client.DaemonException;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobList;
import org.rigdesk.api.wire.JobNetwork;
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.api.wire.RunnerTestJob;
import org.rigdesk.testkit.FakeGitHub;
import org.rigdesk.daemon.host.ProcessIdentity;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.daemon.testing.JobWaits;
import org.rigdesk.daemon.testing.NetworkWorld;

/**
 * A runner registration's egress policy, in real runner VMs (the test image's stand-in runner): an
 * allow-list lets a job reach the names it lists and nothing else public (names off it are not
 * even resolved); audit lets everything through and logs what the list would have refused.
 */
class RunnerEgressTest {

    private static final String PROBES = "probe() { if timeout 10 wget -q -O /tmp/got \"$2\" 2>/dev/null; then "
            + "echo \"$1=reached\"; else echo \"$1=refused\"; fi; }\n"
            + "probe listed http://example.test/hello.txt\n"
            + "probe unlisted http://other.test/hello.txt\n"
            + "probe bare http://" + NetworkWorld.INTERNET_OTHER + "/hello.txt\n";

    @TempDir
    Path dir;

    private static RunnerRegistration registration(FakeGitHub github, String egress, List<String> allow) {
        return new RunnerRegistration("https://github.com/octo/gpu-ci", FakeGitHub.GOOD_TOKEN, List.of(), "rigdesk",
                null, github.apiUrl(), 0, 1, 1, 384, egress, allow);
    }

    /** Runs the probes as a GitHub job in the slot's runner VM; its record once it ended. */
    private static Job testJob(DaemonClient client, long runId) throws Exception {
        Await.value(() -> client.get("/v1/runner", RunnerStatus.class), s -> s.slots().size() == 1
                && RunnerStatus.Slot.IDLE.equals(s.slots().get(0).state()), 120, "the slot's runner listens");
        client.send("POST", "/v1/runner/test-job", new RunnerTestJob(false, "octo/gpu-ci", "Egress", "probe", runId, 1,
                PROBES), Map.class);
        return Await.value(() -> client.get("/v1/jobs", JobList.class).jobs().stream()
                .filter(j -> Long.valueOf(runId).equals(j.runId()) && j.finished()).findFirst().orElse(null),
                j -> j != null, 180, "the test job ends");
    }

    /** What the job's probes printed (the serial line ends lines with CR LF). */
    private static void assertProbes(DaemonClient client, Job job, String... expected) throws Exception {
        String log = JobWaits.log(client, job.id());
        for (String line : expected) {
            assertTrue(log.contains(line + "\n"), line + " in:\n" + log);
        }
    }

    @Test
    void anAllowListReachesOnlyWhatItNamesAndAuditLogsWhatItWouldRefuse() throws Exception {
        DaemonProcess.requireTestImage();
        assumeTrue(ProcessIdentity.isRoot(), "job networks need root");
        try (NetworkWorld world = new NetworkWorld(dir);
             FakeGitHub github = new FakeGitHub("/repos/octo/gpu-ci", java.net.InetAddress.getByName(
                     NetworkWorld.HOST_LINK));
             DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop")
                     .withArgs("--dns-upstream", NetworkWorld.INTERNET, "--runner-poll-ms", "500")
                     .inNetworkNamespace(world.rig()).start();
             DaemonClient client = daemon.client()) {
            DaemonException bad = org.junit.jupiter.api.Assertions.assertThrows(DaemonException.class,
                    () -> client.send("PUT", "/v1/runner", registration(github, "allow-list", List.of("exa mple.test")),
                            RunnerStatus.class));
            assertEquals(400, bad.status());
            assertTrue(bad.problem().detail().contains("exa mple.test"), bad.problem().detail());

            client.send("PUT", "/v1/runner", registration(github, "allow-list", List.of("example.test")),
                    RunnerStatus.class);
            RunnerStatus status = client.get("/v1/runner", RunnerStatus.class);
            assertEquals("allow-list", status.egress());
            assertEquals(List.of("example.test"), status.egressAllow());
            Job strict = testJob(client, 701);
            assertProbes(client, strict, "listed=reached", "unlisted=refused", "bare=refused");
            JobNetwork network = client.jobNetwork(strict.id());
            assertEquals("allow-list", network.egress());
            // The unlisted name is refused by the resolver, never asked upstream (no tunnel out of the list);
            // its address, tried bare, by the allow-list rule.
            assertTrue(network.dns().stream().anyMatch(l -> l.name().equals("other.test") && l.answers().isEmpty()
                    && "refused: not on the registration's allow-list".equals(l.error())), network.toString());
            assertTrue(network.refused().stream().anyMatch(r -> r.address().equals(NetworkWorld.INTERNET_OTHER)
                    && "the allow-list".equals(r.rule())), network.toString());

            client.send("PUT", "/v1/runner", registration(github, "audit", List.of("example.test")), RunnerStatus.class);
            Job audited = testJob(client, 702);
            assertProbes(client, audited, "listed=reached", "unlisted=reached", "bare=reached");
            JobNetwork audit = client.jobNetwork(audited.id());
            assertEquals("audit", audit.egress());
            assertTrue(audit.unlisted().stream().anyMatch(r -> r.address().equals(NetworkWorld.INTERNET_OTHER)
                    && r.port() == 80), audit.toString());
            assertTrue(audit.unlisted().stream().noneMatch(r -> r.address().equals(NetworkWorld.INTERNET)),
                    "the listed name's address is on the list: " + audit.unlisted());
            System.out.println("audit log of runner job " + audited.id() + ": " + audit);
        }
    }
}
