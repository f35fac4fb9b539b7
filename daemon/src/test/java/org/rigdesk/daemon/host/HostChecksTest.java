package org.rigdesk.daemon.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.wire.HostCheck;

class HostChecksTest {

    @TempDir
    Path dir;

    private HostChecks checks(String path) {
        return new HostChecks(dir.resolve("sys"), dir.resolve("dev/kvm"), dir.resolve("modules"), path);
    }

    @Test
    void iommuNeedsUnitsAndGroups() throws Exception {
        HostCheck off = checks("").iommu();
        assertFalse(off.ok());
        assertTrue(off.required());
        assertTrue(off.remedy().contains("intel_iommu=on"));
        Files.createDirectories(dir.resolve("sys/class/iommu/dmar0"));
        assertFalse(checks("").iommu().ok(), "units without groups");
        Files.createDirectories(dir.resolve("sys/kernel/iommu_groups/0"));
        assertTrue(checks("").iommu().ok());
    }

    @Test
    void vfioPciLoadedOrLoadableFromModulesDep() throws Exception {
        assertFalse(checks("").vfioPci().ok());
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/modules.dep"),
                "kernel/drivers/vfio/pci/vfio-pci.ko.xz: kernel/drivers/vfio/pci/vfio-pci-core.ko.xz\n");
        HostCheck loadable = checks("").vfioPci();
        assertTrue(loadable.ok());
        assertTrue(loadable.detail().contains("loaded on first use"));
        Files.createDirectories(dir.resolve("sys/bus/pci/drivers/vfio-pci"));
        assertTrue(checks("").vfioPci().detail().contains("loaded"));
    }

    @Test
    void kvmMustExistAndBeUsable() throws Exception {
        assertFalse(checks("").kvm().ok());
        Files.createDirectories(dir.resolve("dev"));
        Files.createFile(dir.resolve("dev/kvm"));
        assertTrue(checks("").kvm().ok());
        assertFalse(checks("").kvm().required(), "VMs still run under TCG without KVM");
    }

    @Test
    void vmmsAreFoundOnPathOnlyWhenExecutable() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path qemu = Files.createFile(bin.resolve("qemu-system-x86_64"));
        assertFalse(checks(bin.toString()).vmm("qemu-system-x86_64").ok(), "not executable");
        Files.setPosixFilePermissions(qemu, PosixFilePermissions.fromString("rwxr-xr-x"));
        HostCheck found = checks("/nonexistent:" + bin).vmm("qemu-system-x86_64");
        assertTrue(found.ok());
        assertEquals(qemu.toString(), found.detail());
        HostCheck missing = checks(bin.toString()).vmm("firecracker");
        assertFalse(missing.ok());
        assertNotNull(missing.remedy());
    }
}
