package org.rigdesk.daemon.vm;

import java.io.IOException;
import java.nio.file.Path;

/** A virtual machine monitor Rigdesk can boot job VMs with: QEMU, cloud-hypervisor or Firecracker. */
public interface Vmm {

    String name();

    /** Whether it can pass PCI devices through (Firecracker cannot). */
    boolean supportsVfio();

    /** Creates the job's root disk from the image's: a copy-on-write overlay where the VMM allows. */
    void createRootDisk(Path base, Path target) throws IOException;

    /**
     * Whether a job's cache can be a qcow2 layer over the committed cache (QEMU); otherwise it is a
     * raw copy of it (cloud-hypervisor and Firecracker take raw disks), merged back the same way.
     */
    default boolean takesQcow2Layers() {
        return false;
    }

    /**
     * Whether it opens its tap by name (cloud-hypervisor, Firecracker) rather than taking it as a
     * descriptor (QEMU): such a VMM runs in a network namespace of its job that holds the tap.
     */
    default boolean opensTapByName() {
        return false;
    }

    VmInstance boot(VmSpec spec) throws IOException;
}
