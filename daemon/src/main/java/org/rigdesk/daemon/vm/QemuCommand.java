package org.rigdesk.daemon.vm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rigdesk.daemon.gpu.Bdf;

/**
 * QEMU's command line for a job VM: {@code -M microvm} (virtio-mmio) for CPU jobs under KVM, q35
 * (PCIe) when VFIO functions are attached or under TCG; direct kernel boot; console (the serial
 * port and the job's output port, muxed) and control channel to files; QMP on a unix socket. Nothing of the job itself appears here.
 */
public final class QemuCommand {

    /** libvirt's choice for QEMU, as strict as a VM that never spawns helpers allows. */
    static final String SANDBOX = "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny";

    /** The virtio port the guest agent writes the job's output to (its name in the guest's sysfs). */
    static final String OUTPUT_PORT = "rigdesk.output";

    /** The PCIe root port a disk attached while the VM runs goes into. */
    static final String HOTPLUG_PORT = "rigdesk-hp0";

    private QemuCommand() {
    }

    public static List<String> build(String qemu, VmSpec spec, Path qmpSocket, Path pidFile) {
        boolean vfio = !spec.vfioFunctions().isEmpty();
        boolean kvm = spec.accel() == VmSpec.Accel.KVM;
        // microvm has no HPET or PM timer: under TCG the guest's TSC calibration against the PIT
        // fails when the host is busy, and the kernel hangs. kvmclock makes it safe under KVM.
        // A disk added later needs a PCIe slot to hot-plug into: microvm has none.
        boolean pcie = vfio || !kvm || spec.diskLater();
        String bus = pcie ? "pci" : "device";
        List<String> argv = new ArrayList<>(List.of(qemu,
                "-name", "rigdesk-" + spec.name(),
                "-M", !pcie ? "microvm,x-option-roms=off,isa-serial=on,rtc=on" : vfio && kvm ? "q35,kernel-irqchip=split" : "q35",
                "-accel", spec.accel().wire(),
                "-cpu", spec.accel() == VmSpec.Accel.KVM ? "host" : "max",
                "-smp", Integer.toString(spec.cpus()),
                "-m", spec.memoryMiB() + "M",
                "-nodefaults", "-no-user-config", "-no-reboot", "-display", "none",
                "-kernel", spec.kernel().toString(),
                "-initrd", spec.initramfs().toString(),
                "-append", VmSpec.CMDLINE,
                // A FIFO the daemon reads into the job's log (it bounds what the guest prints). Two
                // frontends share it (mux): the serial port (the kernel's lines) and the job's
                // output port below, which is fast and no terminal (the job's bytes as written).
                "-chardev", "file,id=console,path=" + spec.consoleLog() + ",mux=on",
                "-serial", "chardev:console",
                "-drive", "id=root,file=" + spec.rootDisk() + ",format=qcow2,if=none,cache=unsafe",
                "-device", "virtio-blk-" + bus + ",drive=root,serial=rigdesk-root",
                "-drive", "id=config,file=" + spec.configDisk() + ",format=raw,if=none,readonly=on",
                "-device", "virtio-blk-" + bus + ",drive=config,serial=rigdesk-config",
                "-device", pcie ? "virtio-serial-pci" : "virtio-serial-device",
                "-chardev", "file,id=control,path=" + spec.controlLog(),
                "-device", "virtconsole,chardev=control",
                "-device", "virtserialport,chardev=console,name=" + OUTPUT_PORT,
                "-qmp", "unix:" + qmpSocket + ",server=on,wait=off",
                "-pidfile", pidFile.toString(),
                // QEMU faces the guest: its own seccomp filter (mode 2) denies obsolete system
                // calls, setuid and friends, fork and exec, and scheduler and resource changes.
                "-sandbox", SANDBOX));
        if (spec.cacheDisk() != null) {
            // The job's copy-on-write layer over a persistent cache (the guest mounts it at /cache).
            argv.addAll(List.of("-drive", "id=cache,file=" + spec.cacheDisk() + ",format=qcow2,if=none,cache=unsafe",
                    "-device", "virtio-blk-" + bus + ",drive=cache,serial=rigdesk-cache"));
        }
        if (spec.runnerDisk() != null) {
            // The host's actions runner, shared read-only by every runner VM (the guest overlays its writes).
            argv.addAll(List.of("-drive", "id=runner,file=" + spec.runnerDisk() + ",format=raw,if=none,readonly=on",
                    "-device", "virtio-blk-" + bus + ",drive=runner,serial=rigdesk-runner"));
        }
        if (spec.tap() != null) {
            // The job's own tap, made by the daemon: opened for a confined QEMU before it leaves the
            // host's network namespace (VmmLaunch), else by name; no helper scripts.
            argv.addAll(List.of("-netdev", spec.launch().tapFd() ? "tap,id=net0,fd=" + VmmLaunch.TAP_FD
                            : "tap,id=net0,ifname=" + spec.tap() + ",script=no,downscript=no",
                    "-device", "virtio-net-" + bus + ",netdev=net0"));
        }
        if (spec.diskLater()) {
            // One free slot for the disk attached while the VM runs (QemuVmm: blockdev-add, device_add).
            argv.addAll(List.of("-device", "pcie-root-port,id=" + HOTPLUG_PORT + ",chassis=1"));
        }
        if (vfio) {
            // The IOMMU and split irqchip let the guest driver use MSI-X on the passed-through card.
            argv.addAll(List.of("-device", "intel-iommu,intremap=on,caching-mode=on"));
            for (Bdf function : spec.vfioFunctions()) {
                argv.addAll(List.of("-device", "vfio-pci,host=" + function.value()));
            }
        }
        return argv;
    }
}
