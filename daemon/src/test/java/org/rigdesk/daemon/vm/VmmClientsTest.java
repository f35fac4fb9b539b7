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
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.CacheInfo;
import org.rigdesk.api.wire.CacheList;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.api.wire.Json;
import org.rigdesk.daemon.gpu.Bdf;
import org.rigdesk.daemon.host.ProcessIdentity;
import org.rigdesk.daemon.sandbox.VmmUsers;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.daemon.testing.FakeVmms;
import org.rigdesk.daemon.testing.JobWaits;

/**
 * The cloud-hypervisor and Firecracker clients against local stand-ins that serve each VMM's REST
 * API on a unix socket and refuse any request that strays from the documented fields.
 */
class VmmClientsTest {

    private static final boolean ROOT = ProcessIdentity.isRoot();

    @TempDir
    Path dir;

    /** A daemon on the desktop rig whose PATH finds the fake VMMs; each records what it is asked in records/. */
    private DaemonProcess daemonWithFakeVmms() throws Exception {
        Path bin = FakeVmms.install(dir);
        Path records = Files.createDirectories(dir.resolve("records"));
        Files.setPosixFilePermissions(records, PosixFilePermissions.fromString("rwxrwxrwx"));
        return new DaemonProcess(dir).simulate("desktop").withEnv("PATH", bin + ":" + System.getenv("PATH"))
                .withEnv("FAKE_VMM_RECORDS", records.toString()).start();
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
        try (DaemonProcess daemon = daemonWithFakeVmms(); DaemonClient client = daemon.client()) {
            client.send("PUT", "/v1/gpus/0000:01:00.0/mode", Map.of("mode", "vfio"), Gpu.class);

            Job cpu = client.send("POST", "/v1/jobs", new JobRequest(null, "echo cpu; exit 3", IntNode.valueOf(0), 2,
                    512, null, null, Map.of("TOKEN", "never-on-a-command-line")), Job.class);
            Job cpuDone = JobWaits.finished(client, cpu.id(), 60);
            assertEquals("firecracker", cpuDone.vmm());
            assertEquals(JobState.FAILED.wire(), cpuDone.state(), cpuDone.toString());
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
            assertEquals(JobState.SUCCEEDED.wire(), gpuDone.state(), gpuDone.toString());
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

    /**
     * cloud-hypervisor and Firecracker open their tap by name, so with a network each runs in its
     * job's own namespace: the stand-ins attach to the tap as the VMMs do (TUNSETIFF, as the job's
     * uid), write an ARP request for the gateway into it, and try the host's loopback from their own
     * process. The namespace holds the tap, the bridge and the veth's inner end only; the gateway
     * answers through it; the host's loopback service is out of reach; nothing is left afterwards.
     */
    @Test
    void aVmmThatOpensItsTapByNameRunsInANamespaceHoldingOnlyItsTap() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ROOT, "job networks need root");
        try (java.net.ServerSocket hostService = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getLoopbackAddress())) {
            Path bin = FakeVmms.install(dir);
            Path records = Files.createDirectories(dir.resolve("records"));
            Files.setPosixFilePermissions(records, PosixFilePermissions.fromString("rwxrwxrwx"));
            try (DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop")
                    .withEnv("PATH", bin + ":" + System.getenv("PATH"))
                    .withEnv("FAKE_VMM_RECORDS", records.toString())
                    .withEnv("FAKE_VMM_PROBE", "127.0.0.1:" + hostService.getLocalPort()).start();
                 DaemonClient client = daemon.client()) {
                client.send("PUT", "/v1/gpus/0000:01:00.0/mode", Map.of("mode", "vfio"), Gpu.class);
                String hostNamespace = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
                for (int gpus : List.of(0, 1)) {
                    Job job = client.send("POST", "/v1/jobs", new JobRequest(null, "echo net", IntNode.valueOf(gpus), 1,
                            256, 60, null, null, true), Job.class);
                    Job done = JobWaits.finished(client, job.id(), 60);
                    assertEquals(JobState.SUCCEEDED.wire(), done.state(), done + "\n" + daemon.log());
                    assertEquals(gpus == 0 ? "firecracker" : "cloud-hypervisor", done.vmm());
                    List<JsonNode> asked = requests(job.id());
                    JsonNode net = asked.stream().filter(r -> r.get("method").asText().equals("NET")).findFirst()
                            .orElseThrow(() -> new AssertionError("the VMM never had its tap: " + asked));
                    String tap = "rd-" + job.id();
                    assertTrue(!net.get("netns").asText().equals(hostNamespace), "a namespace of its own: " + net);
                    assertEquals(List.of("bridge", "lo", tap, "rdu-" + job.id()), Json.mapper().convertValue(net.get("links"),
                            List.class), net.toString());
                    assertTrue(net.get("uid").asInt() >= VmmUsers.DEFAULT_BASE, net.toString());
                    assertTrue(!net.get("arp_answer").isNull(), "the gateway answered the guest's ARP: " + net);
                    assertTrue(!net.get("probe").asText().equals("connected"), "the host's loopback from the VMM: "
                            + net);
                    for (String link : List.of(tap, "rdu-" + job.id())) {
                        assertTrue(!Files.exists(Path.of("/sys/class/net", link)), link + " outlived its job");
                    }
                }
            }
        }
    }

    /**
     * A cache reaches cloud-hypervisor and Firecracker as a raw copy (they take no qcow2 layer): a third
     * disk with serial rigdesk-cache for cloud-hypervisor, a third drive for Firecracker (no serials:
     * the guest goes by order). The fake guest writes and reads the ext4 on it with debugfs, so what a
     * trusted Firecracker job kept is what the next cloud-hypervisor job reads, and an untrusted job's
     * write is thrown away.
     */
    @Test
    void aCacheIsARawThirdDiskOnCloudHypervisorAndFirecracker() throws Exception {
        try (DaemonProcess daemon = daemonWithFakeVmms(); DaemonClient client = daemon.client()) {
            client.send("PUT", "/v1/gpus/0000:01:00.0/mode", Map.of("mode", "vfio"), Gpu.class);

            Job kept = cacheJob(daemon, client, "echo weights-v1 > /cache/model.bin", 0, true);
            assertEquals("firecracker", kept.vmm());
            assertTrue(JobWaits.log(client, kept.id()).contains("cache models: this job's changes are kept"),
                    JobWaits.log(client, kept.id()));
            List<JsonNode> fc = requests(kept.id());
            assertEquals(List.of("/boot-source", "/drives/rootfs", "/drives/config", "/drives/cache", "/machine-config",
                    "/actions"), fc.stream().map(r -> r.get("path").asText()).toList());
            JsonNode drive = fc.get(3).get("body");
            assertEquals(false, drive.get("is_read_only").asBoolean());
            assertEquals(ROOT ? "/cache.img" : daemon.stateDir().resolve("jobs/" + kept.id() + "/vm/cache.img").toString(),
                    drive.get("path_on_host").asText());

            Job poisoned = cacheJob(daemon, client, "echo poisoned > /cache/model.bin", 0, false);
            assertTrue(JobWaits.log(client, poisoned.id()).contains("this job's changes were thrown away"));

            Job read = cacheJob(daemon, client, "cat /cache/model.bin", 1, false);
            assertEquals("cloud-hypervisor", read.vmm());
            String log = JobWaits.log(client, read.id());
            assertTrue(log.contains("cache: weights-v1"), "the trusted write, not the untrusted one:\n" + log);
            JsonNode disks = requests(read.id()).get(0).at("/body/disks");
            assertEquals(3, disks.size(), disks.toString());
            assertEquals("rigdesk-cache", disks.get(2).get("serial").asText());
            assertEquals(false, disks.get(2).get("readonly").asBoolean());

            CacheInfo models = client.get("/v1/caches", CacheList.class).caches().get(0);
            assertEquals(List.of(read.id(), poisoned.id(), kept.id()),
                    models.recent().stream().map(CacheInfo.Use::jobId).toList());
            assertEquals(List.of(true, true, false), models.recent().stream().map(CacheInfo.Use::warm).toList(),
                    "the first job found an empty cache (a miss), the others what it kept (hits)");
            assertEquals(2, models.hits());
            assertEquals(1, models.misses());
            assertTrue(models.recent().stream().allMatch(use -> use.writtenBytes() != null && use.writtenBytes() >= 0),
                    models.toString());
            assertEquals(kept.id(), models.lastCommitJob());
        }
    }

    private static Job cacheJob(DaemonProcess daemon, DaemonClient client, String script, int gpus, boolean write)
            throws Exception {
        Job job = client.send("POST", "/v1/jobs", new JobRequest(null, script, IntNode.valueOf(gpus), 1, 256, null,
                null, null, null, "models", write), Job.class);
        Job done;
        try {
            done = JobWaits.finished(client, job.id(), 60);
        } catch (AssertionError e) {
            Path vmmLog = daemon.stateDir().resolve("jobs/" + job.id() + "/vmm.log");
            throw new AssertionError("job " + job.id() + " did not end; its VMM said:\n"
                    + (Files.exists(vmmLog) ? Files.readString(vmmLog) : "(nothing)") + "\nits state: "
                    + client.get("/v1/jobs/" + job.id(), Job.class) + "\nrigdeskd:\n" + daemon.log(), e);
        }
        assertEquals(JobState.SUCCEEDED.wire(), done.state(), done + "\n" + JobWaits.log(client, job.id()));
        return done;
    }

    /**
     * An organisation's runner VM on cloud-hypervisor gets its job's cache while it runs: {@code
     * vm.add-disk} with a DiskConfig as documented, taken by the stand-in (which refuses unknown
     * fields, a missing file, a VM not booted and an id already used); a second disk of that id is
     * refused, as the real one refuses it.
     */
    @Test
    void cloudHypervisorHotPlugsADiskIntoARunningVm() throws Exception {
        Path bin = FakeVmms.install(dir);
        Path vm = Files.createDirectories(dir.resolve("jobs/7/vm"));
        for (String file : List.of("root.img", "cache.img")) {
            Files.write(vm.resolve(file), new byte[4096]);
        }
        org.rigdesk.daemon.jobs.ConfigDisks.write(vm.resolve("config.img"), "sleep 5", null);
        VmSpec spec = new VmSpec("job-7", vm, dir.resolve("vmlinuz"), dir.resolve("initrd.img"), vm.resolve("root.img"),
                vm.resolve("config.img"), 1, 256, List.of(), VmSpec.Accel.KVM, vm.resolve("console.log"),
                vm.resolve("control.log"));
        VmInstance instance = new CloudHypervisorVmm(bin.resolve("cloud-hypervisor").toString()).boot(spec);
        try {
            instance.attachDisk(vm.resolve("cache.img"), "rigdesk-cache");
            java.io.IOException again = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> instance.attachDisk(vm.resolve("cache.img"), "rigdesk-cache"));
            assertTrue(again.getMessage().contains("not unique"), again.getMessage());
        } finally {
            instance.kill();
        }
        JsonNode added = Files.readAllLines(vm.resolve("vmm-api.sock.requests.jsonl")).stream().map(line -> {
            try {
                return Json.mapper().readTree(line);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).filter(r -> r.path("path").asText().equals("/api/v1/vm.add-disk")).findFirst().orElseThrow();
        assertEquals(Map.of("path", vm.resolve("cache.img").toString(), "readonly", false, "serial", "rigdesk-cache",
                "id", "late-rigdesk-cache"), Json.mapper().convertValue(added.get("body"), Map.class));
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
