package org.rigdesk.daemon.jobs;

import java.nio.file.Path;
import java.time.Duration;
import org.rigdesk.daemon.vm.VmSpec;

/** Where jobs live and what a host allows them. */
public record JobsConfig(
        Path jobsDir,
        Path image,
        VmSpec.Accel accel,
        Duration bootTimeout,
        Duration cancelGrace,
        int hostCpus,
        int hostMemoryMiB,
        boolean simulated,
        long consoleMaxBytes) {

    public static final int MAX_SCRIPT_BYTES = 256 * 1024;
    /** A job's console log is cut here unless the owner sets another size (--job-log-max-mib). */
    public static final long DEFAULT_CONSOLE_MAX_BYTES = 1024L << 20;

    /** What a VM image directory holds (vmlinux only for Firecracker; image.json says what the image is). */
    public static final java.util.List<String> IMAGE_FILES = java.util.List.of("vmlinuz", "vmlinux", "initrd.img",
            "rootfs.ext4", "image.json");

    public Path kernel() {
        return image.resolve("vmlinuz");
    }

    public Path initramfs() {
        return image.resolve("initrd.img");
    }

    public Path rootDisk() {
        return image.resolve("rootfs.ext4");
    }
}
