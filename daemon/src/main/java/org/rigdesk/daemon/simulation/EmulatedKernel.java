package org.rigdesk.daemon.simulation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.rigdesk.daemon.gpu.Bdf;
import org.rigdesk.daemon.gpu.DeviceRole;
import org.rigdesk.daemon.gpu.SysfsReader;
import org.rigdesk.daemon.vfio.Kernel;

/**
 * The kernel's side effects on a fake sysfs tree, so the real toggle code runs unchanged:
 * {@code unbind} removes the driver links, {@code drivers_probe} binds to the override if that
 * driver is loaded or else to the host driver the kernel would pick, {@code modprobe vfio-pci}
 * loads the module and creates its driver. Faults can be injected for tests.
 */
public class EmulatedKernel implements Kernel {

    /** What an injected fault does to a matching write. */
    public enum Fault { HANG, FAIL, PROBE_BINDS_NOTHING }

    private record FaultKey(String attribute, String value) {
    }

    private final Path root;
    private final Map<FaultKey, Fault> faults = new ConcurrentHashMap<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile long writeDelayMillis;
    private volatile boolean modprobeFails;

    public EmulatedKernel(Path root) {
        this.root = root;
    }

    /** Every write takes this long (to kill the daemon mid-toggle in tests). */
    public void setWriteDelayMillis(long millis) {
        this.writeDelayMillis = millis;
    }

    /** {@code attribute} is relative to the sysfs root (e.g. "bus/pci/drivers/nvidia/unbind"); value null matches any. */
    public void inject(String attribute, String value, Fault fault) {
        faults.put(new FaultKey(attribute, value), fault);
    }

    public void failModprobe() {
        modprobeFails = true;
    }

    /** Lets hung writes return (test clean-up). */
    public void releaseHangs() {
        released.countDown();
    }

    @Override
    public void write(Path attribute, String value) throws IOException {
        Path relative = relative(attribute);
        String rel = relative.toString();
        String arg = value.strip();
        delay();
        Fault fault = faults.getOrDefault(new FaultKey(rel, arg), faults.get(new FaultKey(rel, null)));
        if (fault == Fault.HANG) {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("write to " + rel + " was interrupted");
        }
        if (fault == Fault.FAIL) {
            throw new IOException("write to " + rel + ": No such device (injected)");
        }
        List<String> parts = List.of(rel.split("/"));
        if (rel.equals("bus/pci/drivers_probe")) {
            if (fault != Fault.PROBE_BINDS_NOTHING) {
                probe(Bdf.parse(arg));
            }
        } else if (parts.size() == 5 && rel.startsWith("bus/pci/devices/") && parts.get(4).equals("driver_override")) {
            requireFile(attribute);
            Files.writeString(attribute, arg.isEmpty() ? "(null)\n" : arg + "\n");
        } else if (parts.size() == 5 && rel.startsWith("bus/pci/drivers/") && parts.get(4).equals("unbind")) {
            unbind(parts.get(3), Bdf.parse(arg));
        } else if (parts.size() == 5 && rel.startsWith("bus/pci/drivers/") && parts.get(4).equals("bind")) {
            bind(parts.get(3), Bdf.parse(arg), true);
        } else {
            requireFile(attribute);
            Files.writeString(attribute, value);
        }
    }

    @Override
    public void modprobe(String module) throws IOException {
        delay();
        String name = module.replace('-', '_');
        if (Files.isDirectory(root.resolve("module").resolve(name))) {
            return;
        }
        if (modprobeFails || !SysfsTree.loadable(root, module)) {
            throw new IOException("modprobe: FATAL: Module " + module + " not found in directory /lib/modules");
        }
        Files.createDirectories(root.resolve("module").resolve(name));
        if (name.equals("vfio_pci")) {
            SysfsTree.createDriver(root, "vfio-pci");
        }
    }

    private void probe(Bdf bdf) throws IOException {
        Path device = device(bdf);
        if (SysfsReader.linkName(device.resolve("driver")) != null) {
            return; // already bound: drivers_probe does nothing
        }
        String override = SysfsReader.attribute(device, "driver_override");
        if (override != null) {
            // With an override the kernel considers that driver only.
            if (Files.isDirectory(driverDir(override))) {
                bind(override, bdf, false);
            }
            return;
        }
        String vendor = hex(SysfsReader.attribute(device, "vendor"));
        String pciClass = hex(SysfsReader.attribute(device, "class"));
        for (String candidate : hostDrivers(vendor, pciClass)) {
            if (Files.isDirectory(driverDir(candidate))) {
                bind(candidate, bdf, false);
                return;
            }
        }
    }

    /** The in-tree or vendor drivers that claim such a device, most preferred first. */
    static List<String> hostDrivers(String vendor, String pciClass) {
        DeviceRole role = DeviceRole.of(pciClass);
        return switch (role) {
            case GPU -> switch (vendor) {
                case "10de" -> List.of("nvidia", "nouveau");
                case "1002" -> List.of("amdgpu", "radeon");
                case "8086" -> List.of("i915", "xe");
                case "1a03" -> List.of("ast");
                case "1234" -> List.of("bochs-drm", "bochs");
                default -> List.of();
            };
            case AUDIO -> List.of("snd_hda_intel");
            case USB -> List.of("xhci_hcd");
            case SERIAL_BUS -> vendor.equals("10de") ? List.of("nvidia-gpu") : List.of();
            case BRIDGE -> List.of("pcieport");
            case OTHER -> vendor.equals("1ac1") ? List.of("apex") : List.of();
        };
    }

    private void bind(String driver, Bdf bdf, boolean explicit) throws IOException {
        Path device = device(bdf);
        Path driverDir = driverDir(driver);
        if (!Files.isDirectory(driverDir)) {
            throw new NoSuchFileException(driverDir.toString());
        }
        if (SysfsReader.linkName(device.resolve("driver")) != null) {
            throw new IOException("bind " + bdf + " to " + driver + ": Device or resource busy");
        }
        String override = SysfsReader.attribute(device, "driver_override");
        if (explicit && override != null && !override.equals(driver)) {
            throw new IOException("bind " + bdf + " to " + driver + ": No such device (override is " + override + ")");
        }
        Path real = device.toRealPath();
        Files.createSymbolicLink(real.resolve("driver"), real.relativize(driverDir.toRealPath()));
        Files.createSymbolicLink(driverDir.resolve(bdf.value()), driverDir.toRealPath().relativize(real));
    }

    private void unbind(String driver, Bdf bdf) throws IOException {
        Path device = device(bdf);
        if (!driver.equals(SysfsReader.linkName(device.resolve("driver")))) {
            throw new IOException("unbind " + bdf + " from " + driver + ": No such device");
        }
        Files.delete(device.toRealPath().resolve("driver"));
        Files.deleteIfExists(driverDir(driver).resolve(bdf.value()));
    }

    private Path device(Bdf bdf) throws IOException {
        Path device = root.resolve("bus/pci/devices").resolve(bdf.value());
        if (!Files.isDirectory(device)) {
            throw new NoSuchFileException(device.toString());
        }
        return device;
    }

    private Path driverDir(String driver) {
        return root.resolve("bus/pci/drivers").resolve(driver);
    }

    private Path relative(Path attribute) throws IOException {
        Path normal = attribute.toAbsolutePath().normalize();
        Path base = root.toAbsolutePath().normalize();
        if (!normal.startsWith(base)) {
            throw new IOException(attribute + " is outside the simulated sysfs " + root);
        }
        return base.relativize(normal);
    }

    private static void requireFile(Path attribute) throws IOException {
        if (!Files.isRegularFile(attribute)) {
            throw new NoSuchFileException(attribute.toString());
        }
    }

    private void delay() {
        long millis = writeDelayMillis;
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String hex(String raw) {
        if (raw == null) {
            return "";
        }
        String value = raw.toLowerCase();
        return value.startsWith("0x") ? value.substring(2) : value;
    }
}
