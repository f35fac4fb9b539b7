package org.rigdesk.daemon.vfio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.client.DaemonException;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.daemon.simulation.SysfsTree;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.daemon.testing.FakeVmms;
import org.rigdesk.daemon.testing.JobWaits;

/**
 * The GPU health gate on the demo desktop rig (the emulated kernel's tree; GPU jobs on the
 * cloud-hypervisor stand-in): a card is reset between jobs; one whose PCIe errors grew during a
 * job, that sleeps in D3cold before one, whose reset fails or that fell off the bus is quarantined
 * (no job gets it, no toggle moves it) until a check passes.
 */
class HealthGateTest {

    private static final String GPU = "0000:01:00.0";

    @TempDir
    Path dir;

    private Job gpuJob(DaemonClient client, String script) throws Exception {
        return client.send("POST", "/v1/jobs", new JobRequest(null, script, IntNode.valueOf(1), 1, 256, 60, null, null),
                Job.class);
    }

    private static Gpu gpu(DaemonClient client) throws Exception {
        return client.gpus().stream().filter(g -> g.bdf().equals(GPU)).findFirst().orElseThrow();
    }

    private static void queuedFor(DaemonClient client, Job job, int seconds) throws Exception {
        Thread.sleep(seconds * 1000L);
        assertEquals(JobState.QUEUED.wire(), JobWaits.job(client, job.id()).state(), "no job gets a quarantined card");
    }

    @Test
    void aCardIsResetBetweenJobsAndOneThatFailsIsQuarantinedUntilACheckPasses() throws Exception {
        Path bin = FakeVmms.install(dir);
        try (DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop")
                .withEnv("PATH", bin + ":" + System.getenv("PATH")).start();
             DaemonClient client = daemon.client()) {
            Path card = daemon.stateDir().resolve("simulated/desktop/sys/bus/pci/devices").resolve(GPU);
            client.send("PUT", "/v1/gpus/" + GPU + "/mode", Map.of("mode", "vfio"), Gpu.class);

            Job first = JobWaits.finished(client, gpuJob(client, "echo first").id(), 60);
            assertEquals(JobState.SUCCEEDED.wire(), first.state(), first.toString());
            assertEquals("1", Files.readString(card.resolve("reset")), "the card was reset after the job");
            assertTrue(gpu(client).health().ok(), gpu(client).toString());

            // PCIe errors during a job: quarantined after it.
            Job noisy = gpuJob(client, "sleep 3");
            try {
                Await.until(() -> JobWaits.job(client, noisy.id()).state().equals(JobState.RUNNING.wire()), 60);
            } catch (AssertionError e) {
                throw new AssertionError(JobWaits.job(client, noisy.id()) + "\n" + client.getText("/v1/gpus") + "\n"
                        + daemon.log(), e);
            }
            // The owner's reset never touches a card a job holds, nor one its host driver owns.
            DaemonException held = assertThrows(DaemonException.class, () -> client.checkGpu(GPU, true));
            assertEquals("in-use", held.code(), held.problem().toString());
            DaemonException hosted = assertThrows(DaemonException.class, () -> client.checkGpu("0000:02:00.0", true));
            assertEquals("not-in-passthrough", hosted.code(), hosted.problem().toString());
            Files.writeString(card.resolve("aer_dev_nonfatal"), SysfsTree.Device.aer("TOTAL_ERR_NONFATAL", 3));
            try {
                JobWaits.finished(client, noisy.id(), 60);
            } catch (AssertionError e) {
                throw new AssertionError(JobWaits.job(client, noisy.id()) + "\n" + daemon.log(), e);
            }
            Gpu sick = gpu(client);
            assertFalse(sick.health().ok(), sick.toString());
            assertTrue(sick.health().problems().get(0).detail().contains("3 non-fatal"), sick.health().toString());
            assertTrue(sick.passthrough().blockers().stream().anyMatch(b -> b.code().equals("unhealthy")), sick.toString());
            DaemonException refused = assertThrows(DaemonException.class, () -> client.send("PUT", "/v1/gpus/" + GPU
                    + "/mode", Map.of("mode", "host"), Gpu.class));
            assertEquals("unhealthy", refused.code());
            assertTrue(refused.problem().remedy().contains("rigdesk gpu check " + GPU), refused.problem().toString());
            Job waiting = gpuJob(client, "echo waiting");
            queuedFor(client, waiting, 3);
            assertTrue(client.checkGpu(GPU).health().ok(), "a check sees no errors growing now");
            assertEquals(JobState.SUCCEEDED.wire(), JobWaits.finished(client, waiting.id(), 60).state());

            // Asleep in D3cold before a job: quarantined before it; a check fails until it wakes.
            Files.writeString(card.resolve("power_state"), "D3cold\n");
            Job cold = gpuJob(client, "echo cold");
            queuedFor(client, cold, 3);
            assertTrue(gpu(client).health().problems().get(0).detail().contains("D3cold"), gpu(client).toString());
            assertFalse(client.checkGpu(GPU).health().ok());
            Files.writeString(card.resolve("power_state"), "D0\n");
            assertTrue(client.checkGpu(GPU).health().ok());
            assertEquals(JobState.SUCCEEDED.wire(), JobWaits.finished(client, cold.id(), 60).state());

            // A reset that fails between jobs.
            Files.delete(card.resolve("reset"));
            Files.createDirectory(card.resolve("reset"));
            JobWaits.finished(client, gpuJob(client, "echo reset").id(), 60);
            assertTrue(gpu(client).health().problems().get(0).detail().startsWith("its reset between jobs failed"),
                    gpu(client).toString());

            // Off the bus: config space reads 0xffff.
            Files.delete(card.resolve("reset"));
            Files.writeString(card.resolve("reset"), "");
            Files.write(card.resolve("config"), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            Gpu gone = client.checkGpu(GPU);
            assertTrue(gone.health().problems().get(0).detail().contains("fallen off the bus"), gone.toString());
            assertTrue(client.getText("/v1/audit").contains("gpu.quarantine"), "quarantines are audited");
        }
    }

    /**
     * What only the guest sees: the job's VM (QEMU, the test image) logs Xids (written to its kernel log as the NVIDIA
     * driver writes them); the agent reports them before exit. A job's own fault (Xid 13, a CUDA
     * program's exception) leaves the card in service; a card that fell off the bus (Xid 79) in
     * the guest is quarantined though its PCI state on the host looks fine.
     */
    @Test
    void anXidTheGuestReportsQuarantinesTheCard() throws Exception {
        // The real guest agent in QEMU (the VMM stand-ins play the agent, they do not run it).
        try (DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop").start();
             DaemonClient client = daemon.client()) {
            client.send("PUT", "/v1/gpus/" + GPU + "/mode", Map.of("mode", "vfio"), Gpu.class);
            String xid = "echo 'NVRM: Xid (PCI:0000:00:05): %d, pid=412, name=python3, %s' > /dev/kmsg";

            Job own = JobWaits.finished(client, gpuJob(client, String.format(xid, 13, "Graphics Exception: ESR 0x1")).id(), 60);
            assertEquals(JobState.SUCCEEDED.wire(), own.state(), own.toString());
            assertTrue(gpu(client).health().ok(), "a job's own fault is cleared by the reset: " + gpu(client));

            Job fell = JobWaits.finished(client, gpuJob(client, String.format(xid, 79, "GPU has fallen off the bus.")).id(), 60);
            assertEquals(JobState.SUCCEEDED.wire(), fell.state(), "the job itself ended well: " + fell);
            Gpu sick = gpu(client);
            assertFalse(sick.health().ok(), sick.toString());
            Gpu.Blocker problem = sick.health().problems().get(0);
            assertEquals("the job's VM logged Xid 79 (pid=412, name=python3, GPU has fallen off the bus.) for its GPU at "
                    + "0000:00:05", problem.detail());
            assertTrue(problem.remedy().contains("reboot the host"), problem.remedy());
            assertTrue(sick.passthrough().blockers().stream().anyMatch(b -> b.code().equals("unhealthy")), sick.toString());
            Job waiting = gpuJob(client, "echo waiting");
            queuedFor(client, waiting, 3);
            assertTrue(client.getText("/v1/audit").contains("Xid 79"), "the quarantine is audited with its reason");
            // The owner resets the card and checks it: it answers on the host's side, so it is lifted.
            Path card = daemon.stateDir().resolve("simulated/desktop/sys/bus/pci/devices").resolve(GPU);
            Files.writeString(card.resolve("reset"), "");
            assertTrue(client.checkGpu(GPU, true).health().ok());
            assertEquals("1", Files.readString(card.resolve("reset")), "reset through sysfs");
            assertTrue(client.getText("/v1/audit").contains("gpu.reset"), "the owner's reset is audited");
            assertEquals(JobState.SUCCEEDED.wire(), JobWaits.finished(client, waiting.id(), 60).state(), "the waiting job gets it");
        }
    }
}
