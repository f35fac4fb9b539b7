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
 * {@code /drives/config} (and {@code /drives/cache} for a job with a cache), {@code /machine-config},
 * then {@code /actions InstanceStart}. Its drives carry no serial: the guest tells them apart by the
 * order they were added in (vda root, vdb config, vdc cache). It has no
 * PCI (no GPUs) and no virtio console: the serial port is its stdout, where the guest agent
 * prefixes control lines; they are split off here into the control log, the rest is the job log.
 * Confined (the daemon is root) and with its jailer installed, it starts through the jailer: a
 * chroot in the VMM's directory holding links to the VM's files, its own /dev/kvm and
 * /dev/net/tun, the job's uid (docs/jailer.md); the job's cgroup is joined before, by the launcher.
 * It starts in an empty network namespace; with a network, its tap is put there before it is named
 * to it (VmmLaunch#plugTap).
 */
public class FirecrackerVmm implements Vmm {

    private static final Logger LOG = Logger.getLogger(FirecrackerVmm.class.getName());
    /** What the guest agent puts before a control line when it has no virtio console. */
    public static final String CONTROL_PREFIX = "\u001eRIGDESK ";

    private final String binary;
    private final String jailer;

    /** {@code jailer}: Firecracker's jailer, or null where it is not installed. */
    public FirecrackerVmm(String binary, String jailer) {
        this.binary = binary;
        this.jailer = jailer;
    }

    /**
     * The jail's id for the VMM directory {@code vmDir} of VM {@code name}: unique to the directory,
     * so a daemon that restarts finds a jailed Firecracker it left by the id on its command line.
     */
    public static String jailId(String name, Path vmDir) {
        return name + "-" + Integer.toHexString(vmDir.toAbsolutePath().normalize().toString().hashCode());
    }

    @Override
    public String name() {
        return "firecracker";
    }

    @Override
    public boolean opensTapByName() {
        return true;
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
        Jail jail = jailer != null && spec.launch().confined() ? Jail.prepare(spec, binary) : null;
        Path socket = jail != null ? jail.root().resolve("api.sock") : spec.workDir().resolve("vmm-api.sock");
        List<String> command = jail != null
                ? spec.launch().wrapJailer(List.of(jailer, "--id", jail.id(), "--exec-file", binary,
                        "--uid", Integer.toString(spec.launch().uid()), "--gid", Integer.toString(spec.launch().uid()),
                        // Version 2 with no --cgroup: the jailer leaves the process in the job's cgroup.
                        "--cgroup-version", "2", "--chroot-base-dir", jail.base().toString(),
                        "--", "--api-sock", "/api.sock"))
                : spec.launch().wrap(List.of(binary, "--api-sock", socket.toString()));
        Process process = new ProcessBuilder(command)
                .redirectError(spec.vmmLog().toFile())
                .start();
        // Inside the jail Firecracker sees its files at the jail's root.
        Path kernel = jail != null ? Path.of("/vmlinux") : kernelFor(spec);
        Path initrd = jail != null ? Path.of("/initrd.img") : spec.initramfs();
        Path rootDisk = jail != null ? Path.of("/rootfs.img") : spec.rootDisk();
        Path configDisk = jail != null ? Path.of("/config.img") : spec.configDisk();
        Path cacheDisk = spec.cacheDisk() == null ? null : jail != null ? Path.of("/cache.img") : spec.cacheDisk();
        Path runnerDisk = spec.runnerDisk() == null ? null : jail != null ? Path.of("/runner.ext4") : spec.runnerDisk();
        splitSerial(process, spec);
        UnixHttp api = new UnixHttp(socket);
        try {
            api.awaitSocket(process, Duration.ofSeconds(10));
            api.put("/boot-source", Map.of("kernel_image_path", kernel.toString(),
                    "initrd_path", initrd.toString(), "boot_args", VmSpec.CMDLINE + " reboot=k"));
            api.put("/drives/rootfs", Map.of("drive_id", "rootfs", "path_on_host", rootDisk.toString(),
                    "is_root_device", false, "is_read_only", false));
            api.put("/drives/config", Map.of("drive_id", "config", "path_on_host", configDisk.toString(),
                    "is_root_device", false, "is_read_only", true));
            if (cacheDisk != null) {
                api.put("/drives/cache", Map.of("drive_id", "cache", "path_on_host", cacheDisk.toString(),
                        "is_root_device", false, "is_read_only", false));
            }
            if (runnerDisk != null) {
                // No serial on Firecracker's drives: the guest finds the runner by its ext4 label.
                api.put("/drives/runner", Map.of("drive_id", "runner", "path_on_host", runnerDisk.toString(),
                        "is_root_device", false, "is_read_only", true));
            }
            api.put("/machine-config", Map.of("vcpu_count", spec.cpus(), "mem_size_mib", spec.memoryMiB()));
            if (spec.tap() != null) {
                spec.launch().plugTap(process);
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

    /**
     * The jailer's chroot, {@code <base>/<exec file name>/<id>/root}, made beforehand with the VM's
     * files linked in (copied where a link cannot cross file systems); the jailer adds the binary
     * and the device nodes and hands the root to the job's uid.
     */
    private record Jail(String id, Path base, Path root) {

        static Jail prepare(VmSpec spec, String binary) throws IOException {
            String id = jailId(spec.name(), spec.workDir());
            Path base = spec.workDir().resolve("jail");
            Path root = base.resolve(Path.of(binary).getFileName().toString()).resolve(id).resolve("root");
            java.nio.file.Files.createDirectories(root);
            link(kernelFor(spec), root.resolve("vmlinux"));
            link(spec.initramfs(), root.resolve("initrd.img"));
            link(spec.rootDisk(), root.resolve("rootfs.img"));
            link(spec.configDisk(), root.resolve("config.img"));
            if (spec.cacheDisk() != null) {
                // A hard link, never a copy: what the guest writes must reach the layer the daemon merges.
                java.nio.file.Files.createLink(root.resolve("cache.img"), spec.cacheDisk());
            }
            if (spec.runnerDisk() != null) {
                link(spec.runnerDisk(), root.resolve("runner.ext4"));
            }
            return new Jail(id, base, root);
        }

        private static void link(Path source, Path target) throws IOException {
            try {
                java.nio.file.Files.createLink(target, source);
            } catch (IOException | UnsupportedOperationException e) {
                java.nio.file.Files.copy(source, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
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
