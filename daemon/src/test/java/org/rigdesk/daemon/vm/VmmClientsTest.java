package org.rigdesk.daemon.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.api.wire.Json;
import org.rigdesk.daemon.gpu.Bdf;
import org.rigdesk.daemon.host.ProcessIdentity;
import org.rigdesk.daemon.sandbox.VmmUsers;
import org.rigdesk.daemon.testing.DaemonProcess;
import org.rigdesk.daemon.testing.JobWaits;

/**
 * The cloud-hypervisor and Firecracker clients against local stand-ins that serve each VMM's REST
 * API on a unix socket and refuse any request that strays from the documented fields.
 */
class VmmClientsTest {

    private static final boolean ROOT = ProcessIdentity.isRoot();

    @TempDir
    Path dir;

    private Path fakes() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        byte[] script;
        try (var in = getClass().getResourceAsStream("/fakes/fake-vmm.py")) {
            script = in.readAllBytes();
        }
        for (String name : List.of("cloud-hypervisor", "firecracker")) {
            Path fake = bin.resolve(name);
            Files.write(fake, script);
            Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try (var in = getClass().getResourceAsStream("/fakes/fake-jailer.py")) {
            Files.write(bin.resolve("jailer"), in.readAllBytes());
        }
        Files.setPosixFilePermissions(bin.resolve("jailer"), PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    /** What the fake VMM of job {@code id} was asked, recorded where the test told it. */
    private List<JsonNode> requests(long id) throws Exception {
        return Files.readAllLines(dir.resolve("records").resolve(id + ".jsonl")).stream().map(line -> {
            try {
                return Json.mapper().readTree(line);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }



    @Test
    void cpuJobsGoToFirecrackerAndGpuJobsToCloudHypervisor() throws Exception {
        Path bin = fakes();
        Path records = Files.createDirectories(dir.resolve("records"));
        Files.setPosixFilePermissions(records, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop")
                .withEnv("PATH", bin + ":" + System.getenv("PATH")).withEnv("FAKE_VMM_RECORDS", records.toString())
                .start();
             DaemonClient client = daemon.client()) {
            client.send("PUT", "/v1/gpus/0000:01:00.0/mode", Map.of("mode", "vfio"), Gpu.class);

            Job cpu = client.send("POST", "/v1/jobs", new JobRequest(null, "echo cpu; exit 3", IntNode.valueOf(0), 2,
                    512, null, null, Map.of("TOKEN", "never-on-a-command-line")), Job.class);
            Job cpuDone = JobWaits.finished(client, cpu.id(), 60);
            assertEquals("firecracker", cpuDone.vmm());
            assertEquals(Job.FAILED, cpuDone.state(), cpuDone.toString());
            assertEquals(3, cpuDone.exitCode(), "the exit code came over the serial control lines");
            String cpuLog = JobWaits.log(client, cpu.id());
            assertTrue(cpuLog.contains("fake firecracker guest ran: echo cpu; exit 3"), cpuLog);
            assertTrue(!cpuLog.contains("RIGDESK"), "control lines are split off the log:\n" + cpuLog);
            List<String> fcPaths = requests(cpu.id()).stream()
                    .map(r -> r.get("path").asText()).toList();
            assertEquals(List.of("/boot-source", "/drives/rootfs", "/drives/config", "/machine-config", "/actions"),
                    fcPaths);
            if (ROOT) {
                // Firecracker went through its jailer, and sees its files at the jail's root.
                assertTrue(requests(cpu.id()).stream().allMatch(r -> r.get("jailed").asBoolean()), "not jailed");
                assertEquals("/vmlinux", requests(cpu.id()).get(0).at("/body/kernel_image_path").asText());
                assertEquals("/rootfs.img", requests(cpu.id()).get(1).at("/body/path_on_host").asText());
                assertEquals("/config.img", requests(cpu.id()).get(2).at("/body/path_on_host").asText());
            }
            JsonNode machine = requests(cpu.id()).get(3).get("body");
            assertEquals(2, machine.get("vcpu_count").asInt());
            assertEquals(512, machine.get("mem_size_mib").asInt());

            Job gpu = client.send("POST", "/v1/jobs", new JobRequest(null, "nvidia-smi", IntNode.valueOf(1), 1, 256,
                    null, null, null), Job.class);
            Job gpuDone = JobWaits.finished(client, gpu.id(), 60);
            assertEquals("cloud-hypervisor", gpuDone.vmm());
            assertEquals(Job.SUCCEEDED, gpuDone.state(), gpuDone.toString());
            List<JsonNode> chRequests = requests(gpu.id());
            assertEquals("/api/v1/vm.create", chRequests.get(0).get("path").asText());
            assertEquals("/api/v1/vm.boot", chRequests.get(1).get("path").asText());
            JsonNode config = chRequests.get(0).get("body");
            assertEquals(1, config.at("/cpus/boot_vcpus").asInt());
            assertEquals(256L * 1024 * 1024, config.at("/memory/size").asLong());
            assertEquals("File", config.at("/serial/mode").asText());
            assertEquals(VmSpec.CMDLINE, config.at("/payload/cmdline").asText());
            assertTrue(JobWaits.log(client, gpu.id()).contains("fake cloud-hypervisor guest ran: nvidia-smi"));
            for (Job done : List.of(cpuDone, gpuDone)) {
                Path jobDir = daemon.stateDir().resolve("jobs/" + done.id());
                assertTrue(!Files.exists(jobDir.resolve("vm")), "the VMM's directory (sockets, disks) outlived job "
                        + done.id());
                for (JsonNode request : requests(done.id())) {
                    // A daemon that is root runs no VMM as root.
                    assertTrue(!ROOT || request.get("uid").asInt() >= VmmUsers.DEFAULT_BASE, request.toString());
                }
            }
        }
    }

    @Test
    void cloudHypervisorGetsEveryGroupFunctionAsADevice() {
        Path dir = Path.of("/var/lib/rigdesk/jobs/1");
        VmSpec spec = new VmSpec("job-1", dir, Path.of("/img/vmlinuz"), Path.of("/img/initrd.img"),
                dir.resolve("root.img"), dir.resolve("config.img"), 2, 1024,
                List.of(Bdf.parse("0000:01:00.0"), Bdf.parse("0000:01:00.1")), VmSpec.Accel.KVM,
                dir.resolve("console.log"), dir.resolve("control.log"));
        Map<String, Object> config = CloudHypervisorVmm.vmConfig(spec);
        assertEquals(List.of(Map.of("path", "/sys/bus/pci/devices/0000:01:00.0/"),
                Map.of("path", "/sys/bus/pci/devices/0000:01:00.1/")), config.get("devices"));
        assertEquals(Map.of("boot_vcpus", 2, "max_vcpus", 2), config.get("cpus"));
    }
}
