package org.rigdesk.daemon.vfio;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.rigdesk.api.wire.Gpu.Blocker;
import org.rigdesk.daemon.gpu.PciDevice;
import org.rigdesk.daemon.gpu.PciIds;
import org.rigdesk.daemon.gpu.SysfsReader;

/** Rules 2–4: every reason a card may not go to vfio-pci now, each with a remedy. Pure reading. */
public class Preflight {

    private final SysfsReader sysfs;
    private final HolderScanner holders;
    private final PciIds names;
    private final Path modulesDir;

    public Preflight(SysfsReader sysfs, HolderScanner holders, PciIds names, Path modulesDir) {
        this.sysfs = sysfs;
        this.holders = holders;
        this.names = names;
        this.modulesDir = modulesDir;
    }

    /** Blockers for moving {@code card} to vfio-pci. */
    public List<Blocker> toVfio(Card card) {
        List<Blocker> blockers = new ArrayList<>();
        PciDevice gpu = card.gpu();
        // Rule 3: IOMMU on, groups present, not no-IOMMU mode.
        if (!hasEntries(sysfs.root().resolve("class/iommu")) || gpu.iommuGroup() == null) {
            blockers.add(new Blocker(Refusal.IOMMU_OFF, "the IOMMU is off: " + gpu.bdf() + " has no IOMMU group",
                    "Enable VT-d / AMD-Vi in the firmware and add intel_iommu=on iommu=pt (Intel) or amd_iommu=on "
                            + "(AMD) to the kernel command line, then reboot."));
        } else if ("Y".equals(SysfsReader.attribute(sysfs.root().resolve("module/vfio/parameters"),
                "enable_unsafe_noiommu_mode"))) {
            blockers.add(new Blocker(Refusal.IOMMU_OFF, "vfio runs in unsafe no-IOMMU mode: a VM could reach all "
                    + "host memory", "Unload vfio, enable the IOMMU in the firmware and on the kernel command line, "
                    + "and reboot without vfio.enable_unsafe_noiommu_mode."));
        }
        // Rule 2: only the card's own functions (and bridges) may share its group.
        if (!card.strangers().isEmpty()) {
            blockers.add(new Blocker(Refusal.GROUP_NOT_ISOLATED, "IOMMU group " + gpu.iommuGroup() + " also holds "
                    + card.strangers().stream().map(this::describe).collect(Collectors.joining(", "))
                    + ", which would be taken from the host with it",
                    "Move the card to a slot whose root port has its own IOMMU group (usually the CPU-attached "
                            + "x16 slot), or enable ACS in the firmware. Rigdesk never moves devices that are "
                            + "not part of the card."));
        }
        // Rule 3: refuse, never kill.
        if (gpu.bootVga()) {
            blockers.add(new Blocker(Refusal.BOOT_VGA, gpu.bdf() + " is the boot display (boot_vga=1): the "
                    + "firmware console and the display manager run on it",
                    "Choose another GPU as the primary display in the firmware settings, connect the monitor to "
                            + "that GPU, and reboot."));
        }
        List<String> held = holders.holders(gpu.bdf());
        if (!held.isEmpty()) {
            blockers.add(new Blocker(Refusal.IN_USE, gpu.bdf() + " is held open by " + String.join(", ", held),
                    "Stop those processes (or the display manager, if it is one) and try again; "
                            + "Rigdesk never kills them."));
        }
        List<String> connected = connectedDisplays(gpu);
        if (!connected.isEmpty()) {
            blockers.add(new Blocker(Refusal.IN_USE, "a display is connected to " + String.join(", ", connected)
                    + " on " + gpu.bdf(), "Unplug the monitor from this card (connect it to another GPU) and try again."));
        }
        if (!vfioAvailable()) {
            blockers.add(new Blocker(Refusal.VFIO_UNAVAILABLE, "the vfio-pci driver is neither loaded nor installed",
                    "Install a kernel built with CONFIG_VFIO_PCI (all distribution kernels are) and check "
                            + "'modprobe vfio-pci'."));
        }
        blockers.addAll(overrideBlockers(card));
        return blockers;
    }

    /** Blockers for returning {@code card} to its host driver. */
    public List<Blocker> toHost(Card card) {
        List<Blocker> blockers = new ArrayList<>(overrideBlockers(card));
        List<String> held = holders.holders(card.gpu().bdf());
        if (!held.isEmpty()) {
            blockers.add(new Blocker(Refusal.IN_USE, card.gpu().bdf() + " is held open by " + String.join(", ", held),
                    "Stop those processes (a VM using the card?) and try again; Rigdesk never kills them."));
        }
        return blockers;
    }

    private List<Blocker> overrideBlockers(Card card) {
        List<String> missing = card.movable().stream().filter(d -> !d.hasDriverOverride())
                .map(d -> d.bdf().value()).toList();
        if (missing.isEmpty()) {
            return List.of();
        }
        return List.of(new Blocker(Refusal.NO_DRIVER_OVERRIDE, "no driver_override attribute on "
                + String.join(", ", missing) + ": this kernel cannot pin a device to a driver",
                "Use Linux 3.16 or newer (every current distribution kernel has driver_override)."));
    }

    public boolean vfioLoaded() {
        return Files.isDirectory(sysfs.root().resolve("bus/pci/drivers").resolve(VfioService.VFIO_DRIVER));
    }

    boolean vfioAvailable() {
        if (vfioLoaded()) {
            return true;
        }
        Path dep = modulesDir.resolve("modules.dep");
        Path builtin = modulesDir.resolve("modules.builtin");
        for (Path index : List.of(dep, builtin)) {
            try (Stream<String> lines = Files.lines(index)) {
                if (lines.anyMatch(l -> l.contains("/vfio-pci.ko") || l.contains("/vfio_pci.ko"))) {
                    return true;
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // not there: try the next index
            }
        }
        return false;
    }

    private List<String> connectedDisplays(PciDevice gpu) {
        List<String> connected = new ArrayList<>();
        try (DirectoryStream<Path> cards = Files.newDirectoryStream(sysfs.device(gpu.bdf()).resolve("drm"), "card*")) {
            for (Path card : cards) {
                try (DirectoryStream<Path> connectors = Files.newDirectoryStream(card,
                        card.getFileName() + "-*")) {
                    for (Path connector : connectors) {
                        // A "Virtual" connector (a VM's display) has no monitor behind it.
                        if ("connected".equals(SysfsReader.attribute(connector, "status"))
                                && !connector.getFileName().toString().contains("-Virtual-")) {
                            String name = connector.getFileName().toString();
                            connected.add(name.substring(name.indexOf('-') + 1));
                        }
                    }
                }
            }
        } catch (IOException e) {
            // no DRM: nothing connected that we can see
        }
        return connected;
    }

    private String describe(PciDevice device) {
        return device.bdf() + " (" + names.device(device.vendorId(), device.deviceId())
                + (device.driver() == null ? "" : ", driver " + device.driver()) + ")";
    }

    private static boolean hasEntries(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return entries.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }
}
