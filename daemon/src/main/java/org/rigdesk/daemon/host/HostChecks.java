package org.rigdesk.daemon.host;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.rigdesk.api.wire.HostCheck;
import org.rigdesk.daemon.image.JobImage;

/**
 * What this host can do for passthrough and VMs, read from sysfs (the real /sys or a fake tree),
 * /dev and PATH. Cheap enough to run per /v1/info request.
 */
public class HostChecks {

    public static final List<String> VMMS = List.of("cloud-hypervisor", "firecracker", "qemu-system-x86_64");

    private final Path sysfs;
    private final Path devKvm;
    private final Path modulesDir;
    private final String path;
    private Path image;
    private java.util.function.BooleanSupplier imageNeeded = () -> false;
    private final List<java.util.function.Supplier<HostCheck>> extra = new java.util.concurrent.CopyOnWriteArrayList<>();

    public HostChecks(Path sysfs, Path devKvm, Path modulesDir, String path) {
        this.sysfs = sysfs;
        this.devKvm = devKvm;
        this.modulesDir = modulesDir;
        this.path = path == null ? "" : path;
    }

    /** Also report what {@code check} finds (made by a part the daemon builds later, such as the VMM sandbox). */
    public HostChecks withCheck(java.util.function.Supplier<HostCheck> check) {
        this.extra.add(check);
        return this;
    }

    /**
     * Also report on the job VM image in {@code dir}; a missing one is required (doctor says "not
     * ready") once {@code needed} says a runner is registered or a job was asked for.
     */
    public HostChecks withImage(Path dir, java.util.function.BooleanSupplier needed) {
        this.image = dir;
        this.imageNeeded = needed;
        return this;
    }

    public List<HostCheck> run() {
        List<HostCheck> checks = new ArrayList<>();
        checks.add(iommu());
        checks.add(vfioPci().advised(HostCheck.REQUIRED, "sudo modprobe vfio-pci"));
        checks.add(kvm().advised(HostCheck.RECOMMENDED, null));
        for (String vmm : VMMS) {
            HostCheck check = vmm(vmm);
            checks.add(switch (vmm) {
                case "qemu-system-x86_64" -> check.advised(HostCheck.RECOMMENDED,
                        "sudo apt install qemu-system-x86 qemu-utils");
                case "cloud-hypervisor" -> check.advised(HostCheck.RECOMMENDED, null);
                default -> check.advised(HostCheck.OPTIONAL, null);
            });
        }
        if (image != null) {
            HostCheck check = image();
            checks.add(check.advised(HostCheck.REQUIRED, "sudo " + recipe() + " " + image));
        }
        extra.forEach(check -> checks.add(check.get()));
        return checks;
    }

    /** Where the image recipe is: installed by the package, or in a source checkout. */
    static String recipe() {
        Path installed = Path.of("/usr/share/rigdesk/image/build-runner-image.sh");
        return Files.isRegularFile(installed) ? installed.toString() : "packaging/image/build-runner-image.sh";
    }

    /** Whether the image in {@code dir} is the test image, whose runner is the stand-in. */
    public static boolean isTestImage(Path dir) {
        return JobImage.read(dir).isTest();
    }

    /** The job VM image the daemon boots, or null when it runs without one. */
    public JobImage jobImage() {
        return image == null ? null : JobImage.read(image);
    }

    /** The job VM image: present, its flavour, what it has and its age (the Host page's line for it). */
    HostCheck image() {
        String title = "Job VM image";
        for (String file : JobImage.REQUIRED) {
            if (!Files.isRegularFile(image.resolve(file))) {
                boolean needed = imageNeeded.getAsBoolean();
                return new HostCheck("image", title, false, needed, image.resolve(file) + " is missing"
                        + (needed ? ": no job can run" : ""),
                        "Build it on this machine (it downloads the distribution's packages): sudo "
                                + recipe() + " " + image + " [--distro debian-12] [--nvidia-run FILE]");
            }
        }
        JobImage found = JobImage.read(image);
        String flavour = "runner".equals(found.flavour()) ? "runner image"
                : found.isTest() ? "test image (a stand-in runner; for tests and the demo)" : "image of unknown flavour";
        return new HostCheck("image", title, true, false, flavour + ": " + found.describe(java.time.Instant.now())
                + "; in " + image, null);
    }

    HostCheck iommu() {
        boolean units = hasEntries(sysfs.resolve("class/iommu"));
        boolean groups = hasEntries(sysfs.resolve("kernel/iommu_groups"));
        String title = "IOMMU enabled";
        if (units && groups) {
            return new HostCheck("iommu", title, true, true, "IOMMU groups present", null);
        }
        return new HostCheck("iommu", title, false, true,
                units ? "IOMMU present but no groups" : "no IOMMU in " + sysfs.resolve("class/iommu"),
                "Enable VT-d / AMD-Vi in the firmware and add intel_iommu=on iommu=pt (Intel) or amd_iommu=on "
                        + "(AMD) to the kernel command line, then reboot.");
    }

    HostCheck vfioPci() {
        String title = "vfio-pci available";
        if (Files.isDirectory(sysfs.resolve("bus/pci/drivers/vfio-pci"))) {
            return new HostCheck("vfio-pci", title, true, true, "vfio-pci driver loaded", null);
        }
        if (moduleAvailable("vfio-pci")) {
            return new HostCheck("vfio-pci", title, true, true, "vfio-pci module present, loaded on first use", null);
        }
        return new HostCheck("vfio-pci", title, false, true, "vfio-pci is neither loaded nor installed",
                "Install a kernel with CONFIG_VFIO_PCI (every distribution kernel has it) and run 'modprobe vfio-pci'.");
    }

    HostCheck kvm() {
        String title = "KVM usable";
        if (!Files.exists(devKvm)) {
            return new HostCheck("kvm", title, false, false, devKvm + " does not exist",
                    "Enable virtualization (VT-x / AMD-V) in the firmware and load kvm_intel or kvm_amd; "
                            + "without it VMs run emulated (TCG), far slower.");
        }
        if (!Files.isReadable(devKvm) || !Files.isWritable(devKvm)) {
            return new HostCheck("kvm", title, false, false, devKvm + " is not readable and writable by rigdeskd",
                    "Run rigdeskd as root, or add its user to the kvm group.");
        }
        return new HostCheck("kvm", title, true, false, devKvm + " is usable", null);
    }

    HostCheck vmm(String name) {
        Optional<Path> found = onPath(name);
        // A neutral title: "firecracker" with a mark, not "firecracker found" above "not on PATH".
        String title = switch (name) {
            case "cloud-hypervisor" -> "cloud-hypervisor (GPU jobs)";
            case "firecracker" -> "Firecracker (CPU jobs)";
            default -> "QEMU (any job)";
        };
        return found.map(p -> new HostCheck("vmm-" + name, title, true, false, p.toString(), null))
                .orElseGet(() -> new HostCheck("vmm-" + name, title, false, false, name + " is not on PATH",
                        remedyForVmm(name)));
    }

    private static String remedyForVmm(String name) {
        return switch (name) {
            case "qemu-system-x86_64" -> "Install it: apt install qemu-system-x86";
            case "cloud-hypervisor" -> "Install the cloud-hypervisor static binary into /usr/local/bin "
                    + "(preferred for GPU jobs).";
            default -> "Install the firecracker static binary into /usr/local/bin (fastest for CPU jobs).";
        };
    }

    public Optional<Path> onPath(String name) {
        for (String dir : path.split(":")) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private boolean moduleAvailable(String module) {
        String file = module.replace('-', '_');
        String dashed = module.replace('_', '-');
        try {
            for (String index : List.of("modules.builtin", "modules.dep")) {
                Path list = modulesDir.resolve(index);
                if (Files.isReadable(list)) {
                    try (Stream<String> lines = Files.lines(list)) {
                        if (lines.anyMatch(line -> line.contains("/" + dashed + ".ko")
                                || line.contains("/" + file + ".ko"))) {
                            return true;
                        }
                    }
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
        return false;
    }

    private static boolean hasEntries(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return entries.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }
}
