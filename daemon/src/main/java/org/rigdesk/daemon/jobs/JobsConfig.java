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
        boolean simulated) {

    public static final int MAX_SCRIPT_BYTES = 256 * 1024;

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
