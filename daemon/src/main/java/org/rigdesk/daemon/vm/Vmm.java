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

    VmInstance boot(VmSpec spec) throws IOException;
}
