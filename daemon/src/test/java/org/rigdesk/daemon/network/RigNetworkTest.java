package org.rigdesk.daemon.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobNetwork;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.daemon.host.ProcessIdentity;
import org.rigdesk.daemon.testing.Closing;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.daemon.testing.FakeVmms;
import org.rigdesk.daemon.testing.JobWaits;
import org.rigdesk.daemon.testing.NamespaceGuest;
import org.rigdesk.daemon.testing.NetworkWorld;

/**
 * Job networks as a job would attack them, on a rig of network namespaces with the daemon inside
 * (its default route through a router to an "internet", a LAN on a public range on a second
 * interface): guests are the bridges of fake VMMs' namespaces, so each probe is a real packet
 * through the real rules, without a boot.
 */
class RigNetworkTest {

    @TempDir
    static Path dir;
    static NetworkWorld world;
    static DaemonProcess daemon;
    static DaemonClient client;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(ProcessIdentity.isRoot(), "job networks need root");
        world = new NetworkWorld(dir);
        Path bin = FakeVmms.install(dir);
        daemon = new DaemonProcess(dir).simulate("desktop").withArgs("--dns-upstream", NetworkWorld.INTERNET, "--cancel-grace",
                "1").withEnv("PATH", bin + ":" + System.getenv("PATH")).inNetworkNamespace(world.rig()).start();
        client = daemon.client();
    }

    @AfterAll
    static void stop() throws Exception {
        Closing.all(client, daemon, world);
    }

    /** A CPU job (Firecracker's stand-in) with a network that runs until cancelled; its guest. */
    private static NamespaceGuest guest() throws Exception {
        Job job = client.send("POST", "/v1/jobs", new JobRequest(null, "sleep 120", IntNode.valueOf(0), 1, 256, 300,
                null, null, true), Job.class);
        return NamespaceGuest.of(client, daemon.stateDir(), job.id());
    }

    private static void cancel(NamespaceGuest guest) throws Exception {
        long id = guest.jobId;
        client.send("POST", "/v1/jobs/" + id + "/cancel", null, Job.class);
        JobWaits.finished(client, id, 60);
    }

    /** The rig's LANs are its non-default routes, whatever their range, and followed as they change. */
    @Test
    void aJobReachesTheInternetButNeitherTheRigsLanOnAPublicRangeNorItsRouter() throws Exception {
        NamespaceGuest guest = guest();
        try {
            assertEquals("200", guest.fetch("http://" + NetworkWorld.INTERNET + "/hello.txt", null), "the internet");
            for (String url : java.util.List.of("http://" + NetworkWorld.CAMPUS + ":8080/lan.txt",
                    "http://" + NetworkWorld.ROUTER + "/hello.txt")) {
                assertEquals("200", world.inRig("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "3",
                        url), "the rig reaches " + url + " (so the test could fail)");
            }
            assertEquals("000", guest.fetch("http://" + NetworkWorld.CAMPUS + ":8080/lan.txt", null), "the campus LAN");
            assertEquals("000", guest.fetch("http://" + NetworkWorld.ROUTER + "/hello.txt", null), "the default route's router");
            // A VPN comes up while the job runs: its network is the LAN from then on.
            world.inRig("ip", "link", "add", "vpn0", "type", "veth", "peer", "name", "vpn0p"); // a tunnel stand-in
            try {
                world.inRig("ip", "address", "add", "198.18.0.1/15", "dev", "vpn0");
                world.inRig("ip", "link", "set", "vpn0p", "up");
                world.inRig("ip", "link", "set", "vpn0", "up");
                org.rigdesk.testkit.Await.until(() -> {
                    try {
                        guest.fetch("http://198.18.0.5/", null);
                        return client.jobNetwork(guest.jobId).refused().stream().anyMatch(r ->
                                r.address().equals("198.18.0.5") && "the LAN".equals(r.rule()));
                    } catch (Exception e) {
                        return false;
                    }
                }, 20, "the VPN's network is refused as the LAN");
            } finally {
                world.inRig("ip", "link", "delete", "vpn0");
            }
        } finally {
            cancel(guest);
        }
    }

    /**
     * The guest's resolver, asked from the guest: a public name resolves; a public name whose answer
     * points into a private network is refused (rebinding); a query from another address, though
     * sent on the guest's own link, gets no answer (the resolver reflects nothing anywhere).
     */
    @Test
    void theResolverAnswersItsOwnJobAndRefusesRebinding() throws Exception {
        NamespaceGuest guest = guest();
        try {
            java.nio.file.Path ask = dir.resolve("dns-ask.py");
            try (java.io.InputStream in = getClass().getResourceAsStream("/fakes/dns-ask.py")) {
                java.nio.file.Files.copy(in, ask, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            String resolver = guest.network.gateway();
            assertEquals("rcode=0 addresses=" + NetworkWorld.INTERNET, guest.run("python3", ask.toString(), resolver,
                    "example.test"));
            assertEquals("rcode=5 addresses=", guest.run("python3", ask.toString(), resolver,
                    NetworkWorld.PRIVATE_NAME), "a public name pointing at " + NetworkWorld.PRIVATE_ANSWER);
            String other = Ipv4.format(Ipv4.parse(guest.network.address()).orElseThrow() + 4);
            guest.must("ip", "address", "add", other + "/32", "dev", "bridge");
            assertEquals("no answer", guest.run("python3", ask.toString(), resolver, "example.test", other));
            JobNetwork log = client.jobNetwork(guest.jobId);
            assertTrue(log.dns().stream().anyMatch(l -> l.name().equals(NetworkWorld.PRIVATE_NAME) && l.error() != null
                    && l.error().contains(NetworkWorld.PRIVATE_ANSWER)), log.dns().toString());
        } finally {
            cancel(guest);
        }
    }

    /**
     * A guest that sends to 65,000 ports fills only its own counting sets: its traffic still flows
     * and its log is bounded, and the next job's traffic, the owner's exceptions and its egress log
     * all work.
     */
    @Test
    void aJobSendingTo65000PortsFillsOnlyItsOwnCounts() throws Exception {
        NamespaceGuest flooder = guest();
        NamespaceGuest next = null;
        try {
            flooder.run("python3", "-c", "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                    + "for port in range(1, 65001):\n    s.sendto(b'x', ('" + NetworkWorld.INTERNET + "', port))");
            assertEquals("200", flooder.fetch("http://" + NetworkWorld.INTERNET + "/hello.txt", null), "its own traffic");
            JobNetwork flooded = client.jobNetwork(flooder.jobId);
            assertTrue(flooded.flows().size() >= 4000 && flooded.flows().size() <= FirewallTable.JOB_SET_SIZE,
                    "its log holds " + flooded.flows().size() + " flows");
            client.send("PUT", "/v1/settings", new org.rigdesk.api.wire.Settings(null, null, null, null,
                    java.util.List.of(NetworkWorld.CAMPUS + ":8080")), org.rigdesk.api.wire.Settings.class);
            next = guest();
            assertEquals("200", next.fetch("http://" + NetworkWorld.INTERNET + "/hello.txt", null), "the internet");
            assertEquals("200", next.fetch("http://" + NetworkWorld.CAMPUS + ":8080/lan.txt", null), "the exception");
            JobNetwork log = client.jobNetwork(next.jobId);
            for (String destination : java.util.List.of(NetworkWorld.INTERNET, NetworkWorld.CAMPUS)) {
                assertTrue(log.flows().stream().anyMatch(f -> f.address().equals(destination) && f.bytes() > 0),
                        destination + " in " + log);
            }
        } finally {
            client.send("PUT", "/v1/settings", new org.rigdesk.api.wire.Settings(null, null, null, null,
                    java.util.List.of()), org.rigdesk.api.wire.Settings.class);
            cancel(flooder);
            if (next != null) {
                cancel(next);
            }
        }
    }

    @Test
    void aGuestSendingFromAnotherAddressReachesNothingAndIsCounted() throws Exception {
        NamespaceGuest guest = guest();
        try {
            String other = Ipv4.format(Ipv4.parse(
                    guest.network.address()).orElseThrow() + 4); // the next job's address
            guest.must("ip", "address", "add", other + "/32", "dev", "bridge");
            // Its own address first: the guest then knows its gateway's MAC, as a running guest does.
            assertEquals("200", guest.fetch("http://" + NetworkWorld.INTERNET + "/hello.txt", null), "its own address");
            assertEquals("000", guest.fetch("http://" + NetworkWorld.INTERNET + "/hello.txt", other), "spoofed source");
            JobNetwork log = client.jobNetwork(guest.jobId);

            assertTrue(log.refused().stream().anyMatch(r -> r.address().equals(other) && r.attempts() >= 1
                    && "not the job's address".equals(r.rule())), log.toString());
        } finally {
            cancel(guest);
        }
    }
}
