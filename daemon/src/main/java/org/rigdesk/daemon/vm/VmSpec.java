package org.rigdesk.daemon.vm;

import java.nio.file.Path;
import java.util.List;
import org.rigdesk.daemon.gpu.Bdf;

/**
 * One job VM: the image's kernel and initramfs, the job's copy-on-write root disk and its config
 * disk, the VFIO functions to pass (every function of each GPU's group), and where its console
 * (a FIFO the daemon reads into the job log) and control channel go. {@code tap}: the job's own
 * tap device for its network card (null: no network). {@code workDir} is the VMM's own directory (its sockets, disks and
 * pid file); {@code vmmLog} takes the VMM's own output; {@code launch} says how the VMM is started
 * (as which uid, in which cgroup). {@code cacheDisk}: the job's layer over a persistent cache;
 * {@code runnerDisk}: the actions runner's ext4 image, attached read-only (serial and label
 * {@code rigdesk-runner}) to runner VMs; either null when the VM has none. {@code diskLater}: a disk
 * is attached while the VM runs ({@link VmInstance#attachDisk}: an organisation's runner VM gets
 * the cache of the repository whose job it takes), so the VM is made able to take one.
 */
public record VmSpec(
        String name,
        Path workDir,
        Path kernel,
        Path initramfs,
        Path rootDisk,
        Path configDisk,
        int cpus,
        int memoryMiB,
        List<Bdf> vfioFunctions,
        Accel accel,
        Path consoleLog,
        Path controlLog,
        String tap,
        Path vmmLog,
        VmmLaunch launch,
        Path cacheDisk,
        Path runnerDisk,
        boolean diskLater) {

    public VmSpec {
        vfioFunctions = List.copyOf(vfioFunctions);
    }

    /** A VM without a runner disk. */
    public VmSpec(String name, Path workDir, Path kernel, Path initramfs, Path rootDisk, Path configDisk, int cpus,
                  int memoryMiB, List<Bdf> vfioFunctions, Accel accel, Path consoleLog, Path controlLog, String tap,
                  Path vmmLog, VmmLaunch launch, Path cacheDisk) {
        this(name, workDir, kernel, initramfs, rootDisk, configDisk, cpus, memoryMiB, vfioFunctions, accel, consoleLog,
                controlLog, tap, vmmLog, launch, cacheDisk, null, false);
    }

    /** A VM without a cache disk. */
    public VmSpec(String name, Path workDir, Path kernel, Path initramfs, Path rootDisk, Path configDisk, int cpus,
                  int memoryMiB, List<Bdf> vfioFunctions, Accel accel, Path consoleLog, Path controlLog, String tap,
                  Path vmmLog, VmmLaunch launch) {
        this(name, workDir, kernel, initramfs, rootDisk, configDisk, cpus, memoryMiB, vfioFunctions, accel, consoleLog,
                controlLog, tap, vmmLog, launch, null, null, false);
    }

    /** A VM without a network card whose VMM runs as the daemon's user and logs into its directory. */
    public VmSpec(String name, Path workDir, Path kernel, Path initramfs, Path rootDisk, Path configDisk, int cpus,
                  int memoryMiB, List<Bdf> vfioFunctions, Accel accel, Path consoleLog, Path controlLog) {
        this(name, workDir, kernel, initramfs, rootDisk, configDisk, cpus, memoryMiB, vfioFunctions, accel, consoleLog,
                controlLog, null, workDir.resolve("vmm.log"), VmmLaunch.DIRECT);
    }

    /** The kernel command line: no job data and no secret ever goes here (ps shows it). */
    public static final String CMDLINE = "console=ttyS0 quiet loglevel=1 panic=-1";

    public enum Accel {
        KVM, TCG;

        public String wire() {
            return name().toLowerCase();
        }
    }
}
