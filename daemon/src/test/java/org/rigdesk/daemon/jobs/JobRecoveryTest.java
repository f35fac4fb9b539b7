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
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;

/**
 * kill -9 of the daemon with a job at every stage of its life at once — finished, queued,
 * booting, running — then a restart: no VM survives, the unfinished jobs are lost with the
 * reason and keep what they logged, the finished one keeps its result and log.
 */
class JobRecoveryTest {

    @TempDir
    Path dir;

    /** The VMMs whose command lines name the directory (not qemu-img, which names it too). */
    private static List<ProcessHandle> vmsOf(Path jobDir) {
        String marker = jobDir + "/";
        return ProcessHandle.allProcesses().filter(p -> {
            String line = p.info().commandLine().orElse("");
            return line.contains(marker) && JobLeftovers.isVmm(line);
        }).toList();
    }

    /** Any process naming the directory. */
    private static List<ProcessHandle> processesOf(Path jobDir) {
        String marker = jobDir + "/";
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(marker)).toList();
    }

    @Test
    void killNineWithJobsAtEveryStageThenRestart() throws Exception {
        DaemonProcess.requireTestImage();
        DaemonProcess first = new DaemonProcess(dir).simulate("desktop").start();
        Job done;
        Job running;
        Job queued;
        Job booting;
        try (DaemonClient client = first.client()) {
            done = submit(client, "done", "echo finished-output", 0);
            done = awaitState(client, done, JobState.SUCCEEDED.wire());
            client.send("PUT", "/v1/gpus/0000:01:00.0/mode", Map.of("mode", "vfio"), Gpu.class);
            running = awaitState(client, submit(client, "long", "echo up; sleep 600", 1), JobState.RUNNING.wire());
            booting = awaitState(client, submit(client, "boots", "sleep 600", 0), JobState.BOOTING.wire());
            Path bootingDir = first.stateDir().resolve("jobs/" + booting.id());
            Await.until(() -> vmsOf(bootingDir).size() == 1, 30, "the booting job's VM starts");
            queued = submit(client, "waits-for-the-gpu", "echo never", 1);
            assertEquals(JobState.QUEUED.wire(), client.get("/v1/jobs/" + queued.id(), Job.class).state());
            first.kill();
        } finally {
            first.kill();
        }
        Path jobs = first.stateDir().resolve("jobs");
        assertEquals(1, vmsOf(jobs.resolve(Long.toString(running.id()))).size(), "SIGKILL leaves the VM behind");
        assertEquals(1, vmsOf(jobs.resolve(Long.toString(booting.id()))).size(), "and the booting one");
        // As if the kill had come between starting the VM and noting its pid: only its command line
        // still ties it to the job.
        Files.delete(jobs.resolve(booting.id() + "/job.pid"));
        Files.deleteIfExists(jobs.resolve(booting.id() + "/vmm.pid"));
        // Someone reading a job's log names its directory too: not a VM, so it must live on.
        Process reader = new ProcessBuilder("tail", "-f", jobs.resolve(running.id() + "/console.log").toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();

        try (DaemonProcess second = new DaemonProcess(dir).simulate("desktop").start();
             DaemonClient client = second.client()) {
            assertEquals(List.of(reader.toHandle()), processesOf(jobs), "no qemu left, the log reader untouched");
            reader.destroy();
            for (Job job : List.of(running, queued, booting)) {
                Job lost = client.get("/v1/jobs/" + job.id(), Job.class);
                assertEquals(JobState.LOST.wire(), lost.state(), lost.toString());
                assertTrue(lost.error().contains("rigdeskd stopped while the job was " + job.state()), lost.error());
                Path jobDir = jobs.resolve(Long.toString(job.id()));
                assertFalse(Files.exists(jobDir.resolve("root.qcow2")), "overlay removed");
                assertFalse(Files.exists(jobDir.resolve("config.img")), "config disk (with its secret) removed");
            }
            assertTrue(client.getText("/v1/jobs/" + running.id() + "/log").contains("up"), "the log is kept");
            Job kept = client.get("/v1/jobs/" + done.id(), Job.class);
            assertEquals(JobState.SUCCEEDED.wire(), kept.state());
            assertEquals(done.exitCode(), kept.exitCode());
            assertTrue(client.getText("/v1/jobs/" + done.id() + "/log").contains("finished-output"));
            Gpu gpu = client.get("/v1/gpus/0000:01:00.0", Gpu.class);
            assertNull(gpu.usedBy(), "the GPU is free");
            assertEquals("vfio", gpu.mode(), "and still in the pool");
            assertTrue(second.log().contains("marked lost"), second.log());
            // The killed daemon's nvidia-smi (here the demo rig's fake), left to init, is gone too: it ends at
            // its next write into the dead daemon's pipe, so within a few sample intervals on a loaded machine.
            java.util.function.Supplier<List<ProcessHandle>> strays = () -> ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").contains("--query-gpu")
                            && p.info().commandLine().orElse("").contains(dir.toString()))
                    .filter(p -> p.parent().map(parent -> parent.pid() != second.process().pid()).orElse(true))
                    .toList();
            Await.until(() -> strays.get().isEmpty(), 15, "only the new daemon's sampler runs: " + strays.get());
            // The engine works after the recovery.
            Job after = awaitState(client, submit(client, "after", "echo again", 1), JobState.SUCCEEDED.wire());
            assertEquals(0, after.exitCode());
        }
    }

    private static Job submit(DaemonClient client, String name, String script, int gpus) throws Exception {
        return client.send("POST", "/v1/jobs", new JobRequest(name, script, IntNode.valueOf(gpus), 1, 256, null, null,
                Map.of("TOKEN", "x")), Job.class);
    }

    private static Job awaitState(DaemonClient client, Job job, String state) throws Exception {
        return Await.value(() -> client.get("/v1/jobs/" + job.id(), Job.class), j -> state.equals(j.state()), 120,
                job.name() + " " + state);
    }
}
