package org.rigdesk.daemon.gpu;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Vendor and device names from the pci.ids database (the file lspci reads). Parsed once; only
 * the vendor and device lines are kept. A missing file or ID falls back to "NVIDIA device 27b2".
 */
public final class PciIds {

    private static final Logger LOG = Logger.getLogger(PciIds.class.getName());
    public static final List<Path> DEFAULT_LOCATIONS =
            List.of(Path.of("/usr/share/misc/pci.ids"), Path.of("/usr/share/hwdata/pci.ids"));

    private final Map<String, String> vendors;
    private final Map<String, String> devices;

    private PciIds(Map<String, String> vendors, Map<String, String> devices) {
        this.vendors = vendors;
        this.devices = devices;
    }

    public static PciIds empty() {
        return new PciIds(Map.of(), Map.of());
    }

    /** The first readable file of {@code candidates}, or an empty database. */
    public static PciIds load(List<Path> candidates) {
        for (Path candidate : candidates) {
            if (Files.isReadable(candidate)) {
                try {
                    return parse(candidate);
                } catch (IOException e) {
                    LOG.warning("cannot read " + candidate + ": " + e.getMessage());
                }
            }
        }
        LOG.info(() -> "no pci.ids found in " + candidates + "; devices are named by their IDs");
        return empty();
    }

    static PciIds parse(Path file) throws IOException {
        Map<String, String> vendors = new HashMap<>();
        Map<String, String> devices = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String vendor = null;
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isEmpty() || line.charAt(0) == '#') {
                    continue;
                }
                if (line.startsWith("C ")) {
                    break; // the class list follows the vendors: nothing more for us
                }
                if (line.charAt(0) != '\t') {
                    vendor = entry(line, vendors, "");
                } else if (vendor != null && line.length() > 1 && line.charAt(1) != '\t') {
                    entry(line.substring(1), devices, vendor + ":");
                }
            }
        }
        return new PciIds(vendors, devices);
    }

    /** "10de  NVIDIA Corporation" into {@code into} under prefix + id; returns the id, or null if malformed. */
    private static String entry(String line, Map<String, String> into, String prefix) {
        if (line.length() < 6 || line.charAt(4) != ' ' || !line.substring(0, 4).matches("[0-9a-fA-F]{4}")) {
            return null;
        }
        String id = line.substring(0, 4).toLowerCase();
        into.put(prefix + id, line.substring(4).strip());
        return id;
    }

    /** Vendors of GPUs and accelerators, for machines without pci.ids. */
    private static final Map<String, String> KNOWN_VENDORS = Map.of(
            "10de", "NVIDIA Corporation", "1002", "Advanced Micro Devices, Inc. [AMD/ATI]",
            "8086", "Intel Corporation", "1a03", "ASPEED Technology, Inc.", "1ac1", "Global Unichip Corp.",
            "1234", "QEMU");

    /** "NVIDIA Corporation"; without an entry, "Vendor 10de". */
    public String vendor(String vendorId) {
        return vendors.getOrDefault(vendorId, KNOWN_VENDORS.getOrDefault(vendorId, "Vendor " + vendorId));
    }

    /** True when pci.ids has a name for this device (not a fallback). */
    public boolean knows(String vendorId, String deviceId) {
        return devices.containsKey(vendorId + ":" + deviceId);
    }

    /**
     * The marketing name: the bracketed part of pci.ids' "GA106 [GeForce RTX 3060]", or the whole
     * name; without an entry, "NVIDIA device 27b2".
     */
    public String device(String vendorId, String deviceId) {
        String name = devices.get(vendorId + ":" + deviceId);
        if (name == null) {
            return shortVendor(vendorId) + " device " + deviceId;
        }
        int open = name.lastIndexOf('[');
        int close = name.lastIndexOf(']');
        return open >= 0 && close > open + 1 ? name.substring(open + 1, close) : name;
    }

    /** "NVIDIA" from "NVIDIA Corporation", "AMD/ATI" from "Advanced Micro Devices, Inc. [AMD/ATI]". */
    public String shortVendor(String vendorId) {
        String name = vendors.get(vendorId);
        if (name == null) {
            return switch (vendorId) {
                case "10de" -> "NVIDIA";
                case "1002" -> "AMD";
                case "8086" -> "Intel";
                default -> "Vendor " + vendorId;
            };
        }
        int open = name.lastIndexOf('[');
        int close = name.lastIndexOf(']');
        if (open >= 0 && close > open + 1) {
            return name.substring(open + 1, close);
        }
        int space = name.indexOf(' ');
        return space < 0 ? name : name.substring(0, space);
    }

    public int size() {
        return devices.size();
    }
}
