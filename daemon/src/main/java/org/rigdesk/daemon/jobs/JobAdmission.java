package org.rigdesk.daemon.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.ProblemCode;
import org.rigdesk.daemon.cache.Caches;
import org.rigdesk.daemon.network.JobNetworks;
import org.rigdesk.daemon.problems.DomainException;
import org.rigdesk.daemon.vfio.VfioService;
import org.rigdesk.daemon.vm.VmmSelector;

/**
 * Whether this host can ever run a valid job as asked: its cards on vfio-pci, the VM image, a VMM,
 * a job network and a cache where the job wants them. A job it refuses is never queued, so a
 * submitter hears why at once (with the remedy) instead of watching a job wait for nothing.
 */
final class JobAdmission {

    private final JobsConfig config;
    private final VfioService gpus;
    private final VmmSelector vmms;
    private final JobNetworks networks;
    private final Supplier<Caches> caches;

    JobAdmission(JobsConfig config, VfioService gpus, VmmSelector vmms, JobNetworks networks, Supplier<Caches> caches) {
        this.config = config;
        this.gpus = gpus;
        this.vmms = vmms;
        this.networks = networks;
        this.caches = caches;
    }

    /** Refuses (a {@link DomainException} with its remedy) what this host cannot give the job. */
    void admit(JobValidator.Valid valid) {
        checkGpus(valid);
        checkImage();
        checkVmm(valid.gpuCount() > 0);
        checkNetwork(valid.network());
        checkCache(valid);
    }

    private void checkGpus(JobValidator.Valid valid) {
        if (valid.gpuCount() == 0) {
            return;
        }
        List<Gpu> pool = gpus.list().stream().filter(g -> g.is(GpuMode.VFIO) || g.usedBy() != null).toList();
        for (String address : valid.gpuAddresses()) {
            Gpu gpu = gpus.get(address).orElseThrow(() -> DomainException.invalid("no GPU at " + address));
            if (pool.stream().noneMatch(g -> g.bdf().equals(gpu.bdf()))) {
                throw DomainException.refused(ProblemCode.NOT_IN_PASSTHROUGH, address + " is on its host driver, not vfio-pci",
                        "Hand it to job VMs first: rigdesk gpu mode " + address + " vfio");
            }
        }
        if (valid.gpuCount() > pool.size()) {
            throw DomainException.refused(ProblemCode.NOT_ENOUGH_GPUS, "the job asks for " + valid.gpuCount() + " GPU(s), but "
                    + pool.size() + " are in passthrough mode", "Move more GPUs to vfio: rigdesk gpu mode BDF vfio");
        }
    }

    private void checkNetwork(boolean wanted) {
        networks.unavailable().filter(why -> wanted).ifPresent(why -> {
            throw DomainException.refused(ProblemCode.NO_NETWORK, "No job network here", why,
                    "Run rigdeskd as root with ip and nft installed (apt install iproute2 nftables)");
        });
    }

    private void checkCache(JobValidator.Valid valid) {
        if (valid.cache() != null && caches.get() == null) {
            throw DomainException.refused(ProblemCode.NO_CACHE, "caches are not available on this host",
                    "Install qemu-utils and e2fsprogs, then restart rigdeskd");
        }
    }

    private void checkVmm(boolean gpu) {
        try {
            vmms.choose(gpu);
        } catch (IllegalStateException e) {
            throw DomainException.refused(ProblemCode.NO_VMM, e.getMessage(), "Install QEMU: apt install qemu-system-x86 qemu-utils");
        }
    }

    private void checkImage() {
        for (Path file : List.of(config.kernel(), config.initramfs(), config.rootDisk())) {
            if (!Files.isReadable(file)) {
                throw DomainException.refused(ProblemCode.NO_IMAGE, "No VM image",
                        "the job VM image is missing: " + file + " does not exist",
                        "Build it: packaging/image/build-test-image.sh " + config.image()
                                + " (or start rigdeskd with --image DIR)");
            }
        }
    }
}
