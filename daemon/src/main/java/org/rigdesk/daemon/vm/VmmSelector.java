package org.rigdesk.daemon.vm;

import java.util.List;
import java.util.Map;

/**
 * Picks the VMM for a job: GPU jobs use cloud-hypervisor when found, else QEMU; CPU jobs
 * Firecracker, then cloud-hypervisor, then QEMU (each takes the job's tap for a network). A
 * configured choice overrides. With no VMM installed the daemon still runs (GPUs, telemetry); jobs
 * are refused with the remedy.
 */
public class VmmSelector {

    private final Map<String, Vmm> available;
    private final String forced;

    /** {@code available} by name (only those installed); {@code forced} is a name or "auto". */
    public VmmSelector(Map<String, Vmm> available, String forced) {
        this.available = Map.copyOf(available);
        this.forced = forced;
        if (!"auto".equals(forced) && !available.containsKey(forced)) {
            throw new IllegalArgumentException("--vmm " + forced + " is not installed; found " + available.keySet());
        }
    }

    public boolean isEmpty() {
        return available.isEmpty();
    }

    /** Throws IllegalStateException, saying why, when no installed VMM can run such a VM. */
    public Vmm choose(boolean gpuJob) {
        if (available.isEmpty()) {
            throw new IllegalStateException("no VMM is installed: install QEMU (apt install qemu-system-x86 "
                    + "qemu-utils), cloud-hypervisor or Firecracker, then restart rigdeskd");
        }
        if (!"auto".equals(forced)) {
            Vmm vmm = available.get(forced);
            if (gpuJob && !vmm.supportsVfio()) {
                throw new IllegalStateException(forced + " cannot pass GPUs through");
            }
            return vmm;
        }
        List<String> order = gpuJob ? List.of("cloud-hypervisor", "qemu")
                : List.of("firecracker", "cloud-hypervisor", "qemu");
        for (String name : order) {
            Vmm vmm = available.get(name);
            if (vmm != null && (!gpuJob || vmm.supportsVfio())) {
                return vmm;
            }
        }
        throw new IllegalStateException("no VMM here can run " + (gpuJob ? "GPU" : "CPU") + " jobs; found "
                + available.keySet());
    }
}
