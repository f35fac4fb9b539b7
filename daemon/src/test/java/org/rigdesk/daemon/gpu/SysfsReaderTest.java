package org.rigdesk.daemon.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.daemon.simulation.SysfsTree;

class SysfsReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsEveryAttributeOfAWellFormedDevice() {
        SysfsTree tree = SysfsTree.create(dir).iommu().drivers("nvidia")
                .device("0000:01:00.0").ids("10de", "2503", "030000").driver("nvidia").group(12).numaNode("1")
                .link("8.0 GT/s PCIe", "8").add();
        PciDevice gpu = new SysfsReader(tree.sys()).read(Bdf.parse("0000:01:00.0")).orElseThrow();
        assertEquals("10de", gpu.vendorId());
        assertEquals("2503", gpu.deviceId());
        assertEquals("030000", gpu.pciClass());
        assertEquals("nvidia", gpu.driver());
        assertEquals(12, gpu.iommuGroup());
        assertEquals(1, gpu.numaNode());
        assertEquals("8.0 GT/s PCIe", gpu.linkSpeed());
        assertEquals(8, gpu.linkWidth());
        assertFalse(gpu.bootVga());
        assertTrue(gpu.hasDriverOverride());
        assertNull(gpu.driverOverride(), "(null) reads as no override");
    }

    @Test
    void malformedValuesReadAsAbsent() {
        SysfsTree tree = SysfsTree.create(dir)
                .device("0000:01:00.0").ids("10de", "2503", "030000").numaNode("-1").link("Unknown", "0")
                .raw("boot_vga", "garbage\n").raw("driver_override", "\n").add()
                .device("0000:02:00.0").ids("10de", "2504", "030000").raw("numa_node", "(null)\n")
                .raw("current_link_width", "x16\n").raw("current_link_speed", "Unknown speed\n").add();
        SysfsReader sysfs = new SysfsReader(tree.sys());
        PciDevice first = sysfs.read(Bdf.parse("0000:01:00.0")).orElseThrow();
        assertNull(first.numaNode());
        assertNull(first.linkSpeed());
        assertNull(first.linkWidth());
        assertFalse(first.bootVga());
        assertNull(first.driverOverride());
        assertNull(first.driver());
        assertNull(first.iommuGroup());
        PciDevice second = sysfs.read(Bdf.parse("0000:02:00.0")).orElseThrow();
        assertNull(second.numaNode());
        assertNull(second.linkWidth());
        assertNull(second.linkSpeed());
    }

    @Test
    void devicesWithUnreadableIdsOrOddNamesAreSkipped() throws Exception {
        SysfsTree tree = SysfsTree.create(dir)
                .device("0000:01:00.0").ids("10de", "2503", "030000").raw("vendor", "0xZZZZ\n").add()
                .device("0000:02:00.0").ids("10de", "2503", "030000").add();
        Files.createDirectories(tree.sys().resolve("bus/pci/devices/not-a-bdf"));
        List<PciDevice> all = new SysfsReader(tree.sys()).all();
        assertEquals(List.of("0000:02:00.0"), all.stream().map(d -> d.bdf().value()).toList());
    }

    @Test
    void aMissingTreeIsEmptyNotAnError() {
        assertTrue(new SysfsReader(dir.resolve("nothing")).all().isEmpty());
    }

    @Test
    void groupMembersComeFromTheKernelsGroupDirectory() {
        SysfsTree tree = SysfsTree.create(dir).iommu()
                .device("0000:01:00.1").ids("10de", "228e", "040300").group(5).add()
                .device("0000:01:00.0").ids("10de", "2503", "030000").group(5).add()
                .device("0000:02:00.0").ids("10de", "2503", "030000").group(6).add();
        assertEquals(List.of(Bdf.parse("0000:01:00.0"), Bdf.parse("0000:01:00.1")),
                new SysfsReader(tree.sys()).groupMembers(5));
    }

    @Test
    void bdfValidationIsStrict() {
        assertTrue(Bdf.isValid("0000:01:00.0"));
        for (String bad : List.of("0000:01:00.8", "0000:01:00.0\n", "0000:1:00.0", "0000:01:00.0/..", "../0000:01:00.0",
                "0000:0A:00.0", " 0000:01:00.0", "")) {
            assertFalse(Bdf.isValid(bad), bad);
        }
        assertFalse(Bdf.isValid(null));
        assertEquals("0000:01:00", Bdf.parse("0000:01:00.3").slot());
        assertEquals(3, Bdf.parse("0000:01:00.3").function());
    }

    @Test
    void rolesFollowTheClassCode() {
        assertEquals(DeviceRole.GPU, DeviceRole.of("030200"));
        assertEquals(DeviceRole.AUDIO, DeviceRole.of("040300"));
        assertEquals(DeviceRole.USB, DeviceRole.of("0c0330"));
        assertEquals(DeviceRole.SERIAL_BUS, DeviceRole.of("0c8000"));
        assertEquals(DeviceRole.BRIDGE, DeviceRole.of("060400"));
        assertEquals(DeviceRole.OTHER, DeviceRole.of("020000"));
        assertEquals(DeviceRole.OTHER, DeviceRole.of(null));
        assertTrue(DeviceRole.isDisplay("038000"));
        assertFalse(DeviceRole.isDisplay("040300"));
    }
}
