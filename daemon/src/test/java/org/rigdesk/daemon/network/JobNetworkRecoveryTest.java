package org.rigdesk.daemon.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.daemon.host.ProcessIdentity;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.daemon.testing.JobWaits;
import org.rigdesk.daemon.testing.NetworkWorld;

/**
 * rigdeskd killed with -9 while a networked VM runs: at its next start no tap, rule, resolver or VM
 * of that job is left; when it stops, nothing of Rigdesk's is left in the host's networking and IPv4
 * forwarding is as it was.
 */
class JobNetworkRecoveryTest {

    @TempDir
    Path dir;

    private static String links() throws Exception {
        return NetworkWorld.host("ip", "-o", "link", "show");
    }

    private static boolean tableExists() throws Exception {
        return NetworkWorld.host("nft", "list", "tables").contains("table inet rigdesk");
    }

    @Test
    void aSecondDaemonInTheSameNamespaceLeavesTheFirstsJobNetworksAlone() throws Exception {
        assumeTrue(ProcessIdentity.isRoot(), "job networks need root");
        try (DaemonProcess first = new DaemonProcess(dir.resolve("first")).simulate("desktop").start()) {
            assertTrue(tableExists());
            // Another socket, another state dir: the socket guard does not see it; before the lock
            // it made the table anew under the first's jobs and removed it when it stopped.
            DaemonProcess second = new DaemonProcess(dir.resolve("second")).simulate("desktop").start();
            try (DaemonClient client = second.client()) {
                var check = client.info().checks().stream().filter(c -> c.id().equals("job-network")).findFirst()
                        .orElseThrow();
                assertFalse(check.ok(), check.toString());
                assertTrue(check.detail().contains("another rigdeskd (pid " + first.process().pid() + ")"),
                        check.detail());
            } finally {
                second.stop();
            }
            assertTrue(tableExists(), "the second daemon took the first's table with it:\n" + second.log());
            try (DaemonClient client = first.client()) {
                assertTrue(client.info().checks().stream().anyMatch(c -> c.id().equals("job-network") && c.ok()));
            }
        }
        assertFalse(tableExists(), "the table outlived the daemon that made it");
    }

    @Test
    void aKilledDaemonLeavesNothingOfItsJobNetworksAfterItsRestart() throws Exception {
        DaemonProcess.requireTestImage();
        assumeTrue(ProcessIdentity.isRoot(), "job networks need root");
        String forwardingBefore = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip();
        DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop").start();
        long id;
        try (DaemonClient client = daemon.client()) {
            Job job = client.send("POST", "/v1/jobs", new JobRequest(null, "echo up; sleep 300", IntNode.valueOf(0), 1,
                    256, 600, null, null, true), Job.class);
            id = job.id();
            Await.until(() -> JobWaits.job(client, job.id()).state().equals(JobState.RUNNING.wire()), 120);
        }
        assertTrue(links().contains("rd-" + id + ":"), links());
        assertTrue(NetworkWorld.host("nft", "list", "map", "inet", "rigdesk", "forward4").contains("rd-" + id));
        daemon.kill();
        assertTrue(links().contains("rd-" + id + ":"), "the kill left the tap (what the restart must clean)");

        DaemonProcess restarted = new DaemonProcess(dir).simulate("desktop").start();
        try (DaemonClient client = restarted.client()) {
            assertEquals(JobState.LOST.wire(), JobWaits.job(client, id).state());
            assertFalse(links().contains("rd-"), "a job link outlived its VM:\n" + links());
            assertTrue(tableExists());
            assertFalse(NetworkWorld.host("nft", "list", "map", "inet", "rigdesk", "forward4").contains("rd-"));
            assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("")
                    .contains("rigdesk-job-" + id + " ")), "the VM outlived its daemon's restart");
        } finally {
            restarted.stop();
        }
        assertFalse(tableExists(), "the table outlived the daemon");
        assertFalse(links().contains("rd-"), links());
        assertEquals(forwardingBefore, Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip());
    }
}
