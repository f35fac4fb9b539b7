package org.rigdesk.daemon.vm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Firecracker through its REST API: {@code PUT /boot-source}, {@code /drives/rootfs},
 * {@code /drives/config}, {@code /machine-config}, then {@code /actions InstanceStart}. It has no
 * PCI (no GPUs) and no virtio console: the serial port is its stdout, where the guest agent
 * prefixes control lines; they are split off here into the control log, the rest is the job log.
 */
public class FirecrackerVmm implements Vmm {

    private static final Logger LOG = Logger.getLogger(FirecrackerVmm.class.getName());
    /** What the guest agent puts before a control line when it has no virtio console. */
    public static final String CONTROL_PREFIX = "\u001eRIGDESK ";

    private final String binary;

    public FirecrackerVmm(String binary) {
        this.binary = binary;
    }

    @Override
    public String name() {
        return "firecracker";
    }

    @Override
    public boolean supportsVfio() {
        return false;
    }

    @Override
    public void createRootDisk(Path base, Path target) throws IOException {
        RawDisk.copy(base, target);
    }

    /** Firecracker boots an uncompressed ELF kernel: the image's vmlinux beside its vmlinuz. */
    static Path kernelFor(VmSpec spec) {
        Path vmlinux = spec.kernel().resolveSibling("vmlinux");
        return Files.exists(vmlinux) ? vmlinux : spec.kernel();
    }

    @Override
    public VmInstance boot(VmSpec spec) throws IOException {
        if (!spec.vfioFunctions().isEmpty()) {
            throw new IOException("Firecracker cannot pass PCI devices through");
        }
        Path socket = spec.workDir().resolve("vmm-api.sock");
        Process process = new ProcessBuilder(spec.launch().wrap(List.of(binary, "--api-sock", socket.toString())))
                .redirectError(spec.vmmLog().toFile())
                .start();
        splitSerial(process, spec);
        UnixHttp api = new UnixHttp(socket);
        try {
            api.awaitSocket(process, Duration.ofSeconds(10));
            api.put("/boot-source", Map.of("kernel_image_path", kernelFor(spec).toString(),
                    "initrd_path", spec.initramfs().toString(), "boot_args", VmSpec.CMDLINE + " reboot=k"));
            api.put("/drives/rootfs", Map.of("drive_id", "rootfs", "path_on_host", spec.rootDisk().toString(),
                    "is_root_device", false, "is_read_only", false));
            api.put("/drives/config", Map.of("drive_id", "config", "path_on_host", spec.configDisk().toString(),
                    "is_root_device", false, "is_read_only", true));
            api.put("/machine-config", Map.of("vcpu_count", spec.cpus(), "mem_size_mib", spec.memoryMiB()));
            if (spec.tap() != null) {
                api.put("/network-interfaces/eth0", Map.of("iface_id", "eth0", "host_dev_name", spec.tap()));
            }
            api.put("/actions", Map.of("action_type", "InstanceStart"));
        } catch (IOException e) {
            process.destroyForcibly();
            api.close();
            throw e;
        }
        return new ProcessVm(process) {
            @Override
            public void powerdown() {
                try {
                    api.put("/actions", Map.of("action_type", "SendCtrlAltDel"));
                } catch (IOException e) {
                    LOG.fine(() -> "SendCtrlAltDel failed: " + e.getMessage());
                }
            }

            @Override
            public void kill() {
                api.close();
                super.kill();
            }
        };
    }

    /** Copies the serial output to the job log, moving prefixed control lines to the control log. */
    private static void splitSerial(Process process, VmSpec spec) {
        Thread splitter = new Thread(() -> {
            try (java.io.InputStream serial = process.getInputStream();
                 OutputStream console = Files.newOutputStream(spec.consoleLog(), StandardOpenOption.APPEND);
                 OutputStream control = Files.newOutputStream(spec.controlLog(), StandardOpenOption.APPEND)) {
                SerialSplitter split = new SerialSplitter(CONTROL_PREFIX, console, control);
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = serial.read(buffer)) > 0; ) {
                    split.accept(buffer, n);
                }
                split.finish();
            } catch (IOException e) {
                LOG.fine(() -> "serial of " + spec.name() + " ended: " + e.getMessage());
            }
        }, "serial-" + spec.name());
        splitter.setDaemon(true);
        splitter.start();
    }
}
