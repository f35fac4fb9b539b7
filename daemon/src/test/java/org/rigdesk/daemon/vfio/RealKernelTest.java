package org.rigdesk.daemon.vfio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.daemon.gpu.Bdf;
import org.rigdesk.daemon.gpu.PciDevice;
import org.rigdesk.daemon.gpu.SysfsReader;
import org.rigdesk.daemon.simulation.DemoRigs;
import org.rigdesk.daemon.simulation.SysfsTree;

/** The real Kernel against a temp tree: what it writes, how, and in which order the toggle asks for it. */
class RealKernelTest {

    @TempDir
    Path dir;

    @Test
    void writesTheValueExactlyAndNeverCreatesFiles() throws Exception {
        Path attribute = Files.writeString(dir.resolve("driver_override"), "(null)\n");
        RealKernel kernel = new RealKernel("/bin/false");
        kernel.write(attribute, "vfio-pci");
        assertEquals("vfio-pci", Files.readString(attribute), "no newline added, old content replaced");
        kernel.write(attribute, "\n");
        assertEquals("\n", Files.readString(attribute));
        assertThrows(NoSuchFileException.class, () -> kernel.write(dir.resolve("absent"), "x"));
        assertFalse(Files.exists(dir.resolve("absent")));
    }

    @Test
    void modprobeRunsTheCommandWithTheModuleAndReportsItsError() throws Exception {
        Path log = dir.resolve("modprobe.log");
        Path fake = script("fake-modprobe", "echo \"$@\" >> " + log + "\n[ \"$1\" = vfio-pci ] && exit 0\n"
                + "echo \"modprobe: FATAL: Module $1 not found\" >&2; exit 1\n");
        RealKernel kernel = new RealKernel(fake.toString());
        kernel.modprobe("vfio-pci");
        assertEquals("vfio-pci\n", Files.readString(log));
        IOException e = assertThrows(IOException.class, () -> kernel.modprobe("nosuch"));
        assertTrue(e.getMessage().contains("Module nosuch not found"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> kernel.modprobe("vfio-pci; reboot"));
    }

    @Test
    void theToggleWritesOverrideThenUnbindThenProbeAndRollsBackInReverse() throws Exception {
        SysfsTree tree = DemoRigs.desktop(dir.resolve("rig"));
        List<String> writes = new ArrayList<>();
        RealKernel real = new RealKernel("/bin/false");
        Kernel recording = new Kernel() {
            @Override
            public void write(Path attribute, String value) throws IOException {
                writes.add(tree.sys().relativize(attribute) + " <- " + value.replace("\n", "\\n"));
                real.write(attribute, value);
            }

            @Override
            public void modprobe(String module) {
                writes.add("modprobe " + module);
            }
        };
        SysfsReader sysfs = new SysfsReader(tree.sys());
        GroupMover mover = new GroupMover(recording, sysfs, Duration.ofSeconds(5));
        List<PciDevice> group = List.of(sysfs.read(Bdf.parse("0000:01:00.0")).orElseThrow(),
                sysfs.read(Bdf.parse("0000:01:00.1")).orElseThrow());
        Card card = Card.of(group.get(0), group);
        // A plain temp tree has no kernel behind it: the driver link never changes, so the
        // verification after the probe fails and the group is rolled back.
        GroupMover.MoveFailedException e = assertThrows(GroupMover.MoveFailedException.class,
                () -> mover.toVfio(card));
        assertTrue(e.getMessage().contains("instead of vfio-pci"), e.getMessage());
        assertEquals(List.of(
                "bus/pci/devices/0000:01:00.1/driver_override <- vfio-pci",
                "bus/pci/drivers/snd_hda_intel/unbind <- 0000:01:00.1",
                "bus/pci/drivers_probe <- 0000:01:00.1",
                "bus/pci/devices/0000:01:00.1/driver_override <- \\n"), writes);
        assertEquals("\n", Files.readString(tree.sys().resolve("bus/pci/devices/0000:01:00.1/driver_override")),
                "rollback cleared the override with a newline");
        assertEquals("0000:01:00.1", Files.readString(tree.sys().resolve("bus/pci/drivers/snd_hda_intel/unbind")));
    }

    private Path script(String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
