package org.rigdesk.daemon.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobNetwork;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.api.wire.Settings;
import org.rigdesk.daemon.host.ProcessIdentity;
import org.rigdesk.testkit.Await;
import org.rigdesk.daemon.testing.Closing;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.daemon.testing.JobWaits;
import org.rigdesk.daemon.testing.NetworkWorld;

/**
 * Job VMs' networks, in real VMs (TCG) against a world of network namespaces the test makes: a VM
 * reaches the internet by address and by name, and neither the host (on loopback, its veth
 * address, any address) nor the LAN nor another job's VM; an owner's exception opens exactly its
 * one destination; the egress log says where the job went and what it was refused.
 */
class JobNetworkTest {

    /** Each probe prints NAME=reached or NAME=refused. */
    private static final String PROBE = "probe() { if timeout 10 wget -q -O /tmp/got \"$2\" 2>/dev/null; then "
            + "echo \"$1=reached\"; else echo \"$1=refused\"; fi; }\n. /job/network\n";

    @TempDir
    static Path dir;
    static NetworkWorld world;
    static DaemonProcess daemon;
    static DaemonClient client;

    @BeforeAll
    static void start() throws Exception {
        DaemonProcess.requireTestImage();
        assumeTrue(ProcessIdentity.isRoot(), "job networks need root");
        world = new NetworkWorld(dir);
        daemon = new DaemonProcess(dir).simulate("desktop").withArgs("--dns-upstream", NetworkWorld.INTERNET)
                .inNetworkNamespace(world.rig()).start();
        client = daemon.client();
    }

    @AfterAll
    static void stop() throws Exception {
        Closing.all(client, daemon, world);
    }

    private static Job run(String script) throws Exception {
        Job job = client.send("POST", "/v1/jobs", new JobRequest(null, PROBE + script, IntNode.valueOf(0), 1, 256, 300,
                null, null, true), Job.class);
        return JobWaits.finished(client, job.id(), 240);
    }

    @Test
    void aJobReachesTheInternetAndNothingOfTheHostOrTheLan() throws Exception {
        Job job = run(String.join("\n",
                "probe internet http://" + NetworkWorld.INTERNET + "/hello.txt",
                "probe byname http://example.test/hello.txt",
                "probe lan http://" + NetworkWorld.LAN + ":8080/lan.txt",
                "probe hostveth http://" + NetworkWorld.HOST_VETH + ":" + NetworkWorld.HOST_VETH_PORT + "/host.txt",
                "probe hostany http://$gateway:" + NetworkWorld.HOST_ANY_PORT + "/host.txt",
                "probe hostloop http://$gateway:" + NetworkWorld.HOST_LOOPBACK_PORT + "/host.txt",
                "probe metadata http://169.254.169.254/latest/meta-data/",
                "nslookup example.test > /tmp/ns 2>&1 && echo dns=ok || { echo dns=failed; cat /tmp/ns; }"));
        String log = JobWaits.log(client, job.id());
        assertEquals(JobState.SUCCEEDED.wire(), job.state(), job + "\n" + log);
        for (String expected : List.of("internet=reached", "byname=reached", "dns=ok", "lan=refused",
                "hostveth=refused", "hostany=refused", "hostloop=refused", "metadata=refused")) {
            assertTrue(log.contains(expected + "\n"), "expected " + expected + " in:\n" + log + "\n" + job + "\n"
                    + daemon.log());
        }

        JobNetwork network = client.jobNetwork(job.id());
        assertTrue(network.enabled());
        JobNetwork.Flow web = network.flows().stream().filter(f -> f.address().equals(NetworkWorld.INTERNET)
                && f.port() == 80).findFirst().orElseThrow(() -> new AssertionError("no flow to the internet: " + network));
        assertEquals("tcp", web.protocol());
        assertEquals("example.test", web.name(), "the DNS name that led there");
        assertTrue(web.bytes() > 200 && web.packets() > 4, web.toString());
        assertTrue(network.refused().stream().anyMatch(r -> r.address().equals(NetworkWorld.LAN) && r.port() == 8080
                && r.attempts() >= 1), "the LAN attempt is not in the log: " + network.refused());
        assertTrue(network.refused().stream().anyMatch(r -> r.address().equals(network.gateway())
                && r.port() == NetworkWorld.HOST_ANY_PORT), "the host attempt is not in the log: " + network.refused());
        assertTrue(network.dns().stream().anyMatch(l -> l.name().equals("example.test") && l.type().equals("A")
                && l.answers().equals(List.of(NetworkWorld.INTERNET))), network.dns().toString());
        System.out.println("egress log of job " + job.id() + ": " + network);
    }

    /**
     * What an escaped VMM would have: its own process's network namespace and uid. From there the
     * host's loopback service and the LAN, both reachable from the host, are not, and the namespace
     * has nothing but a loopback of its own; the guest still has its network through the tap.
     */
    @Test
    void aJobsVmmHasANetworkNamespaceWithNothingInIt() throws Exception {
        Job job = client.send("POST", "/v1/jobs", new JobRequest(null, PROBE + "probe internet http://"
                + NetworkWorld.INTERNET + "/hello.txt\nsleep 120", IntNode.valueOf(0), 1, 256, 300, null, null, true),
                Job.class);
        Await.until(() -> {
            try {
                return JobWaits.log(client, job.id()).contains("internet=");
            } catch (java.io.IOException e) {
                return false;
            }
        }, 120, "the guest probes the internet");
        assertTrue(JobWaits.log(client, job.id()).contains("internet=reached"), JobWaits.log(client, job.id()));
        Path jobDir = daemon.stateDir().resolve("jobs").resolve(Long.toString(job.id()));
        long pid = Long.parseLong(java.nio.file.Files.readString(jobDir.resolve("job.pid")).strip());
        String uid = java.nio.file.Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[1];
        String namespace = "--net=/proc/" + pid + "/ns/net";
        try {
            assertFalse(java.nio.file.Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net"))
                    .equals(java.nio.file.Files.readSymbolicLink(Path.of("/proc/self/ns/net"))), "a namespace of its own");
            String links = output("nsenter", namespace, "--", "ip", "-o", "link");
            assertEquals(1, links.lines().count(), links);
            assertTrue(links.contains(": lo:"), links);
            String loopback = "http://127.0.0.1:" + NetworkWorld.HOST_LOOPBACK_PORT + "/host.txt";
            String lan = "http://" + NetworkWorld.LAN + ":8080/lan.txt";
            assertEquals("200", output("nsenter", "--net=" + world.rig(), "curl", "-s", "-o", "/dev/null", "-w",
                    "%{http_code}", "--max-time", "5", loopback), "the rig reaches its loopback service (so the test could "
                    + "fail)");
            for (String url : List.of(loopback, lan)) {
                String code = output("nsenter", namespace, "--", "setpriv", "--reuid=" + uid, "--regid=" + uid,
                        "--clear-groups", "--", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time",
                        "5", url);
                assertEquals("000", code, "the VMM's namespace and uid reach " + url);
            }
        } finally {
            client.send("POST", "/v1/jobs/" + job.id() + "/cancel", null, Job.class);
            JobWaits.finished(client, job.id(), 120);
        }
    }

    /** A command's standard output, whatever its exit status (curl's is not zero when it cannot connect). */
    private static String output(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        process.waitFor();
        return out.strip();
    }

    @Test
    void jobVmsCannotReachEachOtherAndAnExceptionOpensExactlyItsDestination() throws Exception {
        Job server = client.send("POST", "/v1/jobs", new JobRequest(null, "mkdir -p /tmp/www; echo peer > "
                + "/tmp/www/peer.txt; httpd -p 9000 -h /tmp/www; echo serving; sleep 300", IntNode.valueOf(0), 1, 256,
                300, null, null, true), Job.class);
        Await.until(() -> JobWaits.job(client, server.id()).state().equals(JobState.RUNNING.wire()), 120);
        String peer = client.jobNetwork(server.id()).address();
        client.send("PUT", "/v1/settings", new Settings(null, null, null, null, List.of(NetworkWorld.LAN + ":8080")),
                Settings.class);
        try {
            Job job = run(String.join("\n", "probe peer http://" + peer + ":9000/peer.txt",
                    "probe lan8080 http://" + NetworkWorld.LAN + ":8080/lan.txt",
                    "probe lan8081 http://" + NetworkWorld.LAN + ":8081/lan.txt"));
            String log = JobWaits.log(client, job.id());
            for (String expected : List.of("peer=refused", "lan8080=reached", "lan8081=refused")) {
                assertTrue(log.contains(expected + "\n"), "expected " + expected + " in:\n" + log);
            }
            assertTrue(client.getText("/v1/audit").contains(NetworkWorld.LAN + ":8080"), "the change is audited");
        } finally {
            client.send("PUT", "/v1/settings", new Settings(null, null, null, null, List.of()), Settings.class);
            client.send("POST", "/v1/jobs/" + server.id() + "/cancel", null, Job.class);
        }
        Job cancelled = JobWaits.finished(client, server.id(), 60);
        assertEquals(JobState.CANCELLED.wire(), cancelled.state());
    }

    /** Docker's iptables rules as it makes them: FORWARD policy DROP, and its DOCKER-USER chain jumped to first. */
    @Test
    void besideDockersDropPolicyJobsStillReachTheInternetAndNothingMore() throws Exception {
        world.inRig("iptables", "-N", "DOCKER-USER");
        world.inRig("iptables", "-A", "DOCKER-USER", "-j", "RETURN");
        world.inRig("iptables", "-I", "FORWARD", "-j", "DOCKER-USER");
        world.inRig("iptables", "-P", "FORWARD", "DROP");
        try {
            Job job = run(String.join("\n", "probe internet http://" + NetworkWorld.INTERNET + "/hello.txt",
                    "probe lan http://" + NetworkWorld.LAN + ":8080/lan.txt"));
            String log = JobWaits.log(client, job.id());
            assertTrue(log.contains("internet=reached\n") && log.contains("lan=refused\n"), log);
            String chain = world.inRig("iptables", "-S", "DOCKER-USER");
            assertTrue(chain.contains("-i rd-+ -j ACCEPT"), chain);
            assertTrue(world.inRig("iptables", "-S", "FORWARD").contains("-P FORWARD DROP"), "Docker's policy kept");
        } finally {
            world.inRig("iptables", "-P", "FORWARD", "ACCEPT");
            world.inRig("iptables", "-D", "FORWARD", "-j", "DOCKER-USER");
            world.inRig("iptables", "-F", "DOCKER-USER");
            world.inRig("iptables", "-X", "DOCKER-USER");
        }
    }

    @Test
    void aBadExceptionIsRefusedAndChangesNothing() throws Exception {
        Settings before = client.get("/v1/settings", Settings.class);
        for (String bad : List.of("192.168.1.0/33:80", "192.168.1.1", "10.0.0.1:0", "10.0.0.1:70000", "a b:80",
                "10.0.0.0/8x:80", "192.168.1.1/24:80")) {
            org.rigdesk.api.client.DaemonException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    org.rigdesk.api.client.DaemonException.class, () -> client.send("PUT", "/v1/settings",
                            new Settings(null, null, null, null, List.of(bad)), Settings.class));
            assertEquals(400, refused.status(), bad);
            assertTrue(refused.problem().detail().contains(bad), refused.problem().detail());
        }
        assertEquals(before, client.get("/v1/settings", Settings.class));
        assertFalse(world.inRig("nft", "list", "set", "inet", "rigdesk", "allow4").contains("192.168.1"));
    }
}
