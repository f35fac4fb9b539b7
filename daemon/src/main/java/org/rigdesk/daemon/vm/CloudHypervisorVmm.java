package org.rigdesk.daemon.vm;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.rigdesk.daemon.gpu.Bdf;

/**
 * cloud-hypervisor through its REST API: {@code cloud-hypervisor --api-socket path=…}, then
 * {@code PUT /api/v1/vm.create} with a VmConfig, {@code vm.boot}; {@code vm.shutdown} and
 * {@code vmm.shutdown} to stop. GPUs are passed as {@code devices[{path:/sys/bus/pci/devices/BDF/}]}.
 * The serial port is the job log; the virtio console carries the control channel.
 */
public class CloudHypervisorVmm implements Vmm {

    private static final Logger LOG = Logger.getLogger(CloudHypervisorVmm.class.getName());

    private final String binary;

    public CloudHypervisorVmm(String binary) {
        this.binary = binary;
    }

    @Override
    public String name() {
        return "cloud-hypervisor";
    }

    @Override
    public boolean opensTapByName() {
        return true;
    }

    @Override
    public boolean supportsVfio() {
        return true;
    }

    @Override
    public void createRootDisk(Path base, Path target) throws IOException {
        RawDisk.copy(base, target);
    }

    /** The VmConfig for {@code vm.create}, as cloud-hypervisor's API documents it. */
    static Map<String, Object> vmConfig(VmSpec spec) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("payload", Map.of("kernel", spec.kernel().toString(), "cmdline", VmSpec.CMDLINE,
                "initramfs", spec.initramfs().toString()));
        config.put("cpus", Map.of("boot_vcpus", spec.cpus(), "max_vcpus", spec.cpus()));
        config.put("memory", Map.of("size", spec.memoryMiB() * 1024L * 1024L));
        List<Map<String, Object>> disks = new ArrayList<>(List.of(
                Map.of("path", spec.rootDisk().toString(), "readonly", false, "serial", "rigdesk-root"),
                Map.of("path", spec.configDisk().toString(), "readonly", true, "serial", "rigdesk-config")));
        if (spec.cacheDisk() != null) {
            // The job's raw copy of a persistent cache (the guest mounts it at /cache).
            disks.add(Map.of("path", spec.cacheDisk().toString(), "readonly", false, "serial", "rigdesk-cache"));
        }
        if (spec.runnerDisk() != null) {
            // The host's actions runner, read-only (the guest overlays its writes).
            disks.add(Map.of("path", spec.runnerDisk().toString(), "readonly", true, "serial", "rigdesk-runner"));
        }
        config.put("disks", disks);
        List<Map<String, Object>> devices = new ArrayList<>();
        for (Bdf function : spec.vfioFunctions()) {
            devices.add(Map.of("path", "/sys/bus/pci/devices/" + function.value() + "/"));
        }
        if (!devices.isEmpty()) {
            config.put("devices", devices);
        }
        if (spec.tap() != null) {
            config.put("net", List.of(Map.of("tap", spec.tap())));
        }
        config.put("serial", Map.of("mode", "File", "file", spec.consoleLog().toString()));
        config.put("console", Map.of("mode", "File", "file", spec.controlLog().toString()));
        return config;
    }

    @Override
    public VmInstance boot(VmSpec spec) throws IOException {
        Path socket = spec.workDir().resolve("vmm-api.sock");
        Process process = new ProcessBuilder(spec.launch().wrap(List.of(binary, "--api-socket", "path=" + socket)))
                .redirectErrorStream(true)
                .redirectOutput(spec.vmmLog().toFile())
                .start();
        UnixHttp api = new UnixHttp(socket);
        try {
            api.awaitSocket(process, Duration.ofSeconds(10));
            if (spec.tap() != null) {
                spec.launch().plugTap(process); // in its namespace before vm.create opens it
            }
            api.put("/api/v1/vm.create", vmConfig(spec));
            api.put("/api/v1/vm.boot", null);
        } catch (IOException e) {
            process.destroyForcibly();
            api.close();
            throw e;
        }
        return new ProcessVm(process) {
            @Override
            public void powerdown() {
                try {
                    api.put("/api/v1/vm.power-button", null);
                } catch (IOException e) {
                    LOG.fine(() -> "power button failed: " + e.getMessage());
                }
            }

            @Override
            public void attachDisk(Path disk, String serial) throws IOException {
                // cloud-hypervisor hot-plugs a disk into any running VM (PCI, as all its devices).
                api.put("/api/v1/vm.add-disk", Map.of("path", disk.toString(), "readonly", false, "serial", serial,
                        "id", "late-" + serial));
            }

            @Override
            public void kill() {
                try {
                    api.put("/api/v1/vm.shutdown", null);
                    api.put("/api/v1/vmm.shutdown", null);
                } catch (IOException e) {
                    LOG.fine(() -> "cloud-hypervisor did not shut down cleanly: " + e.getMessage());
                } finally {
                    api.close();
                }
                super.kill();
            }
        };
    }
}
