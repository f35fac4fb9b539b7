package org.rigdesk.daemon.gpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads PCI functions from a sysfs root (the real /sys or a fake tree of the same shape).
 * Pure reading: never writes, never throws for odd values.
 */
public class SysfsReader {

    private final Path root;

    public SysfsReader(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path devicesDir() {
        return root.resolve("bus/pci/devices");
    }

    public Path device(Bdf bdf) {
        return devicesDir().resolve(bdf.value());
    }

    /** Every PCI function, sorted by address; entries that are not valid addresses are skipped. */
    public List<PciDevice> all() {
        List<PciDevice> devices = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(devicesDir())) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (Bdf.isValid(name)) {
                    read(Bdf.parse(name)).ifPresent(devices::add);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        devices.sort((a, b) -> a.bdf().value().compareTo(b.bdf().value()));
        return devices;
    }

    public java.util.Optional<PciDevice> read(Bdf bdf) {
        Path dir = device(bdf);
        String vendor = hexId(attribute(dir, "vendor"), 4);
        String device = hexId(attribute(dir, "device"), 4);
        String pciClass = hexId(attribute(dir, "class"), 6);
        if (vendor == null || device == null) {
            return java.util.Optional.empty();
        }
        String override = attribute(dir, "driver_override");
        return java.util.Optional.of(new PciDevice(bdf, vendor, device, pciClass,
                linkName(dir.resolve("driver")),
                integer(linkName(dir.resolve("iommu_group"))),
                "1".equals(attribute(dir, "boot_vga")),
                nonNegative(integer(attribute(dir, "numa_node"))),
                attribute(dir, "current_link_speed"),
                positive(integer(attribute(dir, "current_link_width"))),
                Files.exists(dir.resolve("driver_override")),
                override));
    }

    /** The BDFs in IOMMU group {@code group}, sorted. */
    public List<Bdf> groupMembers(int group) {
        List<Bdf> members = new ArrayList<>();
        try (DirectoryStream<Path> entries =
                     Files.newDirectoryStream(root.resolve("kernel/iommu_groups/" + group + "/devices"))) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (Bdf.isValid(name)) {
                    members.add(Bdf.parse(name));
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        members.sort((a, b) -> a.value().compareTo(b.value()));
        return members;
    }

    /** The name of the driver bound to {@code bdf} right now, or null. */
    public String driver(Bdf bdf) {
        return linkName(device(bdf).resolve("driver"));
    }

    /** A sysfs attribute's trimmed text, or null when absent, unreadable or a "none" marker. */
    public static String attribute(Path dir, String name) {
        try {
            byte[] bytes = Files.readAllBytes(dir.resolve(name));
            String value = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.UTF_8).strip();
            return isAbsent(value) ? null : value;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    static boolean isAbsent(String value) {
        return value.isEmpty() || value.equals("(null)") || value.equalsIgnoreCase("unknown")
                || value.equalsIgnoreCase("Unknown speed") || value.equals("N/A");
    }

    /** Last path element of a symlink's target ("../../bus/pci/drivers/nvidia" → "nvidia"), or null. */
    public static String linkName(Path link) {
        try {
            if (!Files.isSymbolicLink(link)) {
                return null;
            }
            Path target = Files.readSymbolicLink(link).getFileName();
            return target == null ? null : target.toString();
        } catch (IOException e) {
            return null;
        }
    }

    /** "0x10de" → "10de"; anything that is not hex of the right width → null. */
    static String hexId(String raw, int digits) {
        if (raw == null) {
            return null;
        }
        String value = raw.toLowerCase(Locale.ROOT);
        if (value.startsWith("0x")) {
            value = value.substring(2);
        }
        if (value.length() != digits || !value.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return null;
        }
        return value;
    }

    static Integer integer(String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return Integer.valueOf(raw.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer nonNegative(Integer value) {
        return value == null || value < 0 ? null : value;
    }

    private static Integer positive(Integer value) {
        return value == null || value <= 0 ? null : value;
    }
}
