package org.rigdesk.daemon.gpu;

/**
 * One PCI function as sysfs shows it. Values the kernel reports as absent or unknown
 * ({@code (null)}, {@code -1}, {@code Unknown}, empty, unreadable) are null here.
 */
public record PciDevice(
        Bdf bdf,
        String vendorId,
        String deviceId,
        String pciClass,
        String driver,
        Integer iommuGroup,
        boolean bootVga,
        Integer numaNode,
        String linkSpeed,
        Integer linkWidth,
        boolean hasDriverOverride,
        String driverOverride) {

    public DeviceRole role() {
        return DeviceRole.of(pciClass);
    }

    public String vendorDevice() {
        return vendorId + ":" + deviceId;
    }
}
