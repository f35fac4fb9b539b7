package org.rigdesk.daemon.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.daemon.testing.DaemonProcess;

/** kill -9 of the daemon while a job's VM runs, then a restart: nothing of that VM may survive. */
class JobRecoveryTest {

    @TempDir
    Path dir;

    private static List<ProcessHandle> vmsOf(Path jobDir) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(jobDir.toString()))
                .toList();
    }

    @Test
    void killNineMidJobThenRestartStopsTheVmMarksTheJobLostAndFreesEverything() throws Exception {
        DaemonProcess.requireTestImage();
        DaemonProcess first = new DaemonProcess(dir).simulate("desktop").start();
        Job job;
        try (DaemonClient client = first.client()) {
            client.send("PUT", "/v1/gpus/0000:01:00.0/mode", Map.of("mode", "vfio"), Gpu.class);
            job = client.send("POST", "/v1/jobs", new JobRequest("long", "echo up; sleep 600", IntNode.valueOf(1), 1, 256,
                    null, null, Map.of("TOKEN", "x")), Job.class);
            long id = job.id();
            JobsApiTest.await(() -> {
                try {
                    return Job.RUNNING.equals(client.get("/v1/jobs/" + id, Job.class).state());
                } catch (Exception e) {
                    return false;
                }
            }, 90);
        }
        Path jobDir = first.stateDir().resolve("jobs/" + job.id());
        first.kill();
        assertEquals(1, vmsOf(jobDir).size(), "SIGKILL leaves the VM behind");
        assertTrue(Files.exists(jobDir.resolve("config.img")));

        try (DaemonProcess second = new DaemonProcess(dir).simulate("desktop").start();
             DaemonClient client = second.client()) {
            assertEquals(List.of(), vmsOf(jobDir), "no qemu left");
            Job lost = client.get("/v1/jobs/" + job.id(), Job.class);
            assertEquals(Job.LOST, lost.state());
            assertTrue(lost.error().contains("rigdeskd stopped while the job was running"), lost.error());
            assertFalse(Files.exists(jobDir.resolve("root.qcow2")), "overlay removed");
            assertFalse(Files.exists(jobDir.resolve("config.img")), "config disk (with its secret) removed");
            assertTrue(Files.exists(jobDir.resolve("console.log")), "the log is kept");
            Gpu gpu = client.get("/v1/gpus/0000:01:00.0", Gpu.class);
            assertNull(gpu.usedBy(), "the GPU is free");
            assertEquals("vfio", gpu.mode(), "and still in the pool");
            assertTrue(second.log().contains("marked lost"), second.log());
        }
    }
}
