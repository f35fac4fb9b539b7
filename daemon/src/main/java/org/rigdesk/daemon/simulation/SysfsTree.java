package org.rigdesk.daemon.simulation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds a fake tree shaped exactly like /sys (and the bits of /proc the toggle reads): devices
 * under {@code devices/pci0000:00/…} with {@code bus/pci/devices} links, {@code driver} and
 * {@code iommu_group} links, driver directories with bind/unbind, {@code drivers_probe},
 * {@code kernel/iommu_groups}, {@code class/iommu} and {@code module/}. Used by the demo rigs
 * and the tests.
 */
public final class SysfsTree {

    /** Simulation-only: which modules modprobe can load (the real tree never has this). */
    static final String SIM_DIR = ".rigdesk-sim";

    private final Path sys;
    private final Path proc;

    private SysfsTree(Path sys, Path proc) {
        this.sys = sys;
        this.proc = proc;
    }

    /** A tree with sysfs at {@code dir/sys} and proc at {@code dir/proc}. */
    public static SysfsTree create(Path dir) {
        SysfsTree tree = new SysfsTree(dir.resolve("sys"), dir.resolve("proc"));
        tree.mkdirs("bus/pci/devices", "bus/pci/drivers", "devices/pci0000:00", "kernel/iommu_groups", "module",
                "class", SIM_DIR);
        tree.file("bus/pci/drivers_probe", "");
        tree.file("bus/pci/rescan", "");
        tree.loadable("vfio-pci");
        try {
            Files.createDirectories(tree.proc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tree;
    }

    public Path sys() {
        return sys;
    }

    public Path proc() {
        return proc;
    }

    /** IOMMU hardware present and enabled (class/iommu/dmar0). */
    public SysfsTree iommu() {
        mkdirs("class/iommu/dmar0");
        return this;
    }

    /** vfio loaded in unsafe no-IOMMU mode. */
    public SysfsTree noIommuMode() {
        mkdirs("module/vfio/parameters");
        file("module/vfio/parameters/enable_unsafe_noiommu_mode", "Y\n");
        return this;
    }

    /** Loaded drivers: their directories under bus/pci/drivers and their modules. */
    public SysfsTree drivers(String... names) {
        for (String name : names) {
            createDriver(sys, name);
            mkdirs("module/" + name.replace('-', '_'));
        }
        return this;
    }

    /** Replaces the set of modules modprobe may load. */
    public SysfsTree loadable(String... modules) {
        StringBuilder dep = new StringBuilder();
        for (String module : modules) {
            dep.append("kernel/drivers/sim/").append(module).append(".ko:\n");
        }
        file(SIM_DIR + "/modules.dep", dep.toString());
        return this;
    }

    public static Path modulesDir(Path sys) {
        return sys.resolve(SIM_DIR);
    }

    static boolean loadable(Path sys, String module) throws IOException {
        Path dep = sys.resolve(SIM_DIR).resolve("modules.dep");
        if (!Files.isReadable(dep)) {
            return false;
        }
        try (Stream<String> lines = Files.lines(dep)) {
            return lines.anyMatch(line -> line.contains("/" + module + ".ko")
                    || line.contains("/" + module.replace('-', '_') + ".ko"));
        }
    }

    static void createDriver(Path sys, String name) {
        Path dir = sys.resolve("bus/pci/drivers").resolve(name);
        try {
            Files.createDirectories(dir);
            for (String file : List.of("bind", "unbind", "new_id", "remove_id")) {
                if (!Files.exists(dir.resolve(file))) {
                    Files.createFile(dir.resolve(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Device device(String bdf) {
        return new Device(bdf);
    }

    /** A process holding device nodes open (for the in-use check). */
    public SysfsTree process(int pid, String comm, String... openPaths) {
        Path dir = proc.resolve(Integer.toString(pid));
        try {
            Files.createDirectories(dir.resolve("fd"));
            Files.writeString(dir.resolve("comm"), comm + "\n");
            Files.writeString(dir.resolve("maps"), "");
            int fd = 3;
            for (String open : openPaths) {
                Files.createSymbolicLink(dir.resolve("fd").resolve(Integer.toString(fd++)), Path.of(open));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private void mkdirs(String... relative) {
        try {
            for (String path : relative) {
                Files.createDirectories(sys.resolve(path));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void file(String relative, String content) {
        try {
            Files.createDirectories(sys.resolve(relative).getParent());
            Files.writeString(sys.resolve(relative), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void symlink(Path link, Path target) {
        try {
            Files.createDirectories(link.getParent());
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, link.getParent().relativize(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One PCI function; {@link #add()} writes it into the tree. */
    public final class Device {
        private final String bdf;
        private String vendor = "10de";
        private String device = "2503";
        private String pciClass = "030000";
        private String driver;
        private Integer group;
        private String bootVga;
        private String numaNode = "0";
        private String linkSpeed = "16.0 GT/s PCIe";
        private String linkWidth = "16";
        private String parent;
        private boolean driverOverride = true;
        private String nvidiaMinor;
        private final List<String> drmNodes = new ArrayList<>();
        private final Map<String, String> connectors = new LinkedHashMap<>();
        private final Map<String, String> raw = new LinkedHashMap<>();

        private Device(String bdf) {
            this.bdf = bdf;
        }

        public Device ids(String vendorId, String deviceId, String classCode) {
            this.vendor = vendorId;
            this.device = deviceId;
            this.pciClass = classCode;
            if (classCode.startsWith("0300") && bootVga == null) {
                bootVga = "0";
            }
            return this;
        }

        public Device driver(String name) {
            this.driver = name;
            return this;
        }

        public Device group(Integer iommuGroup) {
            this.group = iommuGroup;
            return this;
        }

        public Device bootVga(boolean on) {
            this.bootVga = on ? "1" : "0";
            return this;
        }

        public Device numaNode(String value) {
            this.numaNode = value;
            return this;
        }

        public Device link(String speed, String width) {
            this.linkSpeed = speed;
            this.linkWidth = width;
            return this;
        }

        /** The bridge (root port) this function sits behind. */
        public Device behind(String bridgeBdf) {
            this.parent = bridgeBdf;
            return this;
        }

        public Device withoutDriverOverride() {
            this.driverOverride = false;
            return this;
        }

        /** DRM nodes (card1, renderD129) the kernel made for it. */
        public Device drm(String... nodes) {
            drmNodes.addAll(List.of(nodes));
            return this;
        }

        /** A display connector and its status ("connected", "disconnected"). */
        public Device connector(String name, String status) {
            connectors.put(name, status);
            return this;
        }

        /** The NVIDIA driver's minor number: /dev/nvidiaN belongs to this GPU. */
        public Device nvidiaMinor(int minor) {
            this.nvidiaMinor = Integer.toString(minor);
            return this;
        }

        /** An AER counter file as the kernel writes it: one line per error kind, then the total. */
        public static String aer(String total, long count) {
            return "Undefined 0\nDLP 0\nSDES 0\nTLP 0\nFCP 0\nCmpltTO 0\nCmpltAbrt 0\nUnxCmplt 0\nRxOF 0\n"
                    + "MalfTLP 0\nECRC 0\nUnsupReq 0\nACSViol 0\n" + total + " " + count + "\n";
        }

        /** Overrides an attribute's raw text (for malformed values). */
        public Device raw(String attribute, String text) {
            raw.put(attribute, text);
            return this;
        }

        public SysfsTree add() {
            Path base = sys.resolve("devices/pci0000:00");
            Path dir = parent == null ? base.resolve(bdf) : base.resolve(parent).resolve(bdf);
            try {
                Files.createDirectories(dir);
                Map<String, String> attributes = new LinkedHashMap<>();
                attributes.put("vendor", "0x" + vendor + "\n");
                attributes.put("device", "0x" + device + "\n");
                attributes.put("class", "0x" + pciClass + "\n");
                attributes.put("numa_node", numaNode + "\n");
                attributes.put("current_link_speed", linkSpeed + "\n");
                attributes.put("current_link_width", linkWidth + "\n");
                attributes.put("max_link_speed", linkSpeed + "\n");
                attributes.put("max_link_width", linkWidth + "\n");
                attributes.put("enable", "1\n");
                // What the health gate reads (PciHealth): awake, resettable, no PCIe errors so far.
                attributes.put("power_state", "D0\n");
                attributes.put("reset_method", "flr bus\n");
                attributes.put("reset", "");
                attributes.put("aer_dev_fatal", aer("TOTAL_ERR_FATAL", 0));
                attributes.put("aer_dev_nonfatal", aer("TOTAL_ERR_NONFATAL", 0));
                attributes.put("aer_dev_correctable", aer("TOTAL_ERR_COR", 0));
                if (bootVga != null) {
                    attributes.put("boot_vga", bootVga + "\n");
                }
                if (driverOverride) {
                    attributes.put("driver_override", "(null)\n");
                }
                attributes.putAll(raw);
                for (Map.Entry<String, String> attribute : attributes.entrySet()) {
                    Files.writeString(dir.resolve(attribute.getKey()), attribute.getValue());
                }
                symlink(sys.resolve("bus/pci/devices").resolve(bdf), dir);
                if (group != null) {
                    Path groupDir = sys.resolve("kernel/iommu_groups").resolve(group.toString());
                    Files.createDirectories(groupDir.resolve("devices"));
                    symlink(dir.resolve("iommu_group"), groupDir);
                    symlink(groupDir.resolve("devices").resolve(bdf), dir);
                }
                if (driver != null) {
                    createDriver(sys, driver);
                    Files.createDirectories(sys.resolve("module").resolve(driver.replace('-', '_')));
                    Path driverDir = sys.resolve("bus/pci/drivers").resolve(driver);
                    symlink(dir.resolve("driver"), driverDir);
                    symlink(driverDir.resolve(bdf), dir);
                }
                for (String node : drmNodes) {
                    Files.createDirectories(dir.resolve("drm").resolve(node));
                }
                for (Map.Entry<String, String> connector : connectors.entrySet()) {
                    String card = connector.getKey().substring(0, connector.getKey().indexOf('-'));
                    Path connectorDir = dir.resolve("drm").resolve(card).resolve(connector.getKey());
                    Files.createDirectories(connectorDir);
                    Files.writeString(connectorDir.resolve("status"), connector.getValue() + "\n");
                }
                if (nvidiaMinor != null) {
                    Path info = proc.resolve("driver/nvidia/gpus").resolve(bdf);
                    Files.createDirectories(info);
                    Files.writeString(info.resolve("information"),
                            "Model: \t\t NVIDIA GPU\nIRQ:   \t\t 150\nDevice Minor: \t " + nvidiaMinor + "\n");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return SysfsTree.this;
        }
    }
}
