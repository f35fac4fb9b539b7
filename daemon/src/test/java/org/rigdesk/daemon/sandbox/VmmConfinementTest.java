package org.rigdesk.daemon.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.testkit.FakeGitHub;
import org.rigdesk.daemon.host.ProcessIdentity;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.daemon.testing.JobWaits;

/**
 * The VMM a hostile guest attacks first runs as nobody: a uid of its own, no capabilities, QEMU's
 * seccomp filter, a cgroup with the job's limits; as that uid, nothing of the daemon's or of
 * another job's can be read. Real QEMU VMs (TCG), the real daemon as root.
 */
class VmmConfinementTest {

    @TempDir
    Path dir;

    @Test
    void aJobsVmmRunsAsItsOwnUnprivilegedUserInALimitedCgroupAndReadsNothingElse() throws Exception {
        DaemonProcess.requireTestImage();
        assumeTrue(ProcessIdentity.isRoot(), "confinement needs the daemon to run as root");
        try (FakeGitHub github = new FakeGitHub("/repos/octo/gpu-ci");
             DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop").start();
             DaemonClient client = daemon.client()) {
            // A stored runner token, to try to read.
            client.send("PUT", "/v1/runner", new RunnerRegistration("https://github.com/octo/gpu-ci",
                    FakeGitHub.GOOD_TOKEN, List.of("x"), "rigdesk", null, github.apiUrl(), 0, 0, null, null),
                    RunnerStatus.class);
            Job first = client.send("POST", "/v1/jobs", new JobRequest(null, "echo first; sleep 300", IntNode.valueOf(0),
                    1, 256, null, null, Map.of("TOKEN", "first-job-secret")), Job.class);
            Job second = client.send("POST", "/v1/jobs", new JobRequest(null, "echo second; sleep 300",
                    IntNode.valueOf(0), 2, 384, null, null, null), Job.class);
            ProcessHandle vmm = awaitVmm(first.id());
            ProcessHandle other = awaitVmm(second.id());
            Await.until(() -> JobWaits.job(client, first.id()).state().equals(JobState.RUNNING.wire()), 90);

            String status = Files.readString(Path.of("/proc", Long.toString(vmm.pid()), "status"));
            int uid = field(status, "Uid");
            assertTrue(uid >= VmmUsers.DEFAULT_BASE, "QEMU runs as uid " + uid);
            assertNotEquals(uid, field(Files.readString(Path.of("/proc", Long.toString(other.pid()), "status")), "Uid"),
                    "two jobs share a uid");
            assertTrue(status.contains("\nSeccomp:\t2\n"), status);
            assertTrue(status.contains("\nNoNewPrivs:\t1\n"), status);
            assertTrue(status.contains("\nCapEff:\t0000000000000000\n"), status);
            assertTrue(status.contains("\nCapBnd:\t0000000000000000\n"), status);

            String cgroups = Files.readString(Path.of("/proc", Long.toString(vmm.pid()), "cgroup"));
            CgroupLimits expected = CgroupLimits.forVm(1, 256, true);
            assertEquals(expected.memoryBytes(), Long.parseLong(limit(cgroups, "memory", "memory.max",
                    "memory.limit_in_bytes")), cgroups);
            assertEquals(expected.pids(), Integer.parseInt(limit(cgroups, "pids", "pids.max", "pids.max")));
            assertEquals(v2(cgroups) ? Integer.toString(expected.cpuWeight()) : Long.toString(expected.cpuShares()),
                    limit(cgroups, "cpu", "cpu.weight", "cpu.shares"));

            Path state = daemon.stateDir();
            Path otherJob = state.resolve("jobs").resolve(Long.toString(second.id()));
            for (Path secret : List.of(state.resolve("rigdesk.db"), state.resolve("runner-token"),
                    otherJob.resolve("console.log"), otherJob.resolve("control.log"),
                    otherJob.resolve("vm").resolve("config.img"), otherJob.resolve("vm").resolve("root.qcow2"))) {
                assertTrue(Files.exists(secret), secret + " is there to try");
                Optional<String> read = readAs(uid, secret);
                assertTrue(read.isEmpty(), "uid " + uid + " read " + secret + ": " + read.orElse(""));
            }
            Path ownDisk = state.resolve("jobs").resolve(Long.toString(first.id())).resolve("vm").resolve("config.img");
            assertTrue(readAs(uid, ownDisk).isPresent(), "the VMM cannot read its own job's config disk");

            client.send("POST", "/v1/jobs/" + first.id() + "/cancel", null, Job.class);
            client.send("POST", "/v1/jobs/" + second.id() + "/cancel", null, Job.class);
            Await.until(() -> JobWaits.job(client, first.id()).finished() && JobWaits.job(client, second.id()).finished(), 60);
            assertFalse(vmm.isAlive());
            Path control = state.resolve("jobs").resolve(Long.toString(first.id())).resolve("control.log");
            assertEquals(0, (int) Files.getAttribute(control, "unix:uid"), "the control log went back to root");
            for (String line : cgroups.split("\n")) {
                Path cgroupDir = cgroupDir(line);
                if (cgroupDir != null && line.contains("job-")) {
                    Await.until(() -> !Files.exists(cgroupDir), 10);
                }
            }
        }
    }


    private static ProcessHandle awaitVmm(long id) throws InterruptedException {
        String name = "-name rigdesk-job-" + id + " ";
        Await.until(() -> ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains(name)
                && p.info().commandLine().orElse("").startsWith("/usr/bin/qemu")), 60);
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(name)
                && p.info().commandLine().orElse("").startsWith("/usr/bin/qemu")).findFirst().orElseThrow();
    }

    private static int field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name + ":")) {
                return Integer.parseInt(line.substring(name.length() + 1).strip().split("\\s+")[1]); // effective
            }
        }
        throw new AssertionError(name + " missing in\n" + status);
    }

    private static boolean v2(String cgroups) {
        return Files.isRegularFile(Path.of("/sys/fs/cgroup/cgroup.controllers"));
    }

    /** A limit of the VMM's cgroup, read from cgroupfs: the v2 file, or v1's in the controller's hierarchy. */
    private static String limit(String cgroups, String controller, String v2File, String v1File) throws Exception {
        for (String line : cgroups.split("\n")) {
            String[] parts = line.split(":", 3);
            if (v2(cgroups) ? parts[0].equals("0") : List.of(parts[1].split(",")).contains(controller)) {
                Path base = v2(cgroups) ? Path.of("/sys/fs/cgroup") : Path.of("/sys/fs/cgroup", controller);
                return Files.readString(base.resolve(parts[2].substring(1)).resolve(v2(cgroups) ? v2File : v1File)).strip();
            }
        }
        throw new AssertionError("no " + controller + " cgroup in\n" + cgroups);
    }

    private static Path cgroupDir(String line) {
        String[] parts = line.split(":", 3);
        if (parts.length < 3) {
            return null;
        }
        String hierarchy = parts[0].equals("0") ? "" : parts[1].split(",")[0].replace("name=", "");
        return Path.of("/sys/fs/cgroup", hierarchy).resolve(parts[2].substring(1));
    }

    /** What {@code uid} (with no groups) reads of {@code file}, as the VMM's uid would: empty when refused. */
    private static Optional<String> readAs(int uid, Path file) throws Exception {
        Process cat = new ProcessBuilder("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--",
                "head", "-c", "64", file.toString()).redirectErrorStream(true).start();
        assertTrue(cat.waitFor(10, TimeUnit.SECONDS));
        String out = new String(cat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (cat.exitValue() != 0) {
            assertTrue(out.contains("Permission denied"), "refused for another reason: " + out);
            return Optional.empty();
        }
        return Optional.of(out);
    }
}
