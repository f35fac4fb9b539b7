package org.rigdesk.api.wire;

import java.util.List;

/**
 * A GPU (or named accelerator) as {@code GET /v1/gpus} reports it. {@code mode} is host, vfio,
 * unbound or changing; {@code groupDevices} lists every other device of its IOMMU group;
 * {@code lending} whom the owner lends it to and where it is on its way (the boot display's is
 * always desk).
 */
public record Gpu(
        String bdf,
        String vendorId,
        String deviceId,
        String vendor,
        String name,
        String pciClass,
        String driver,
        String mode,
        Integer iommuGroup,
        boolean bootVga,
        Integer numaNode,
        Link link,
        List<GroupDevice> groupDevices,
        Passthrough passthrough,
        String usedBy,
        GpuLending lending,
        Health health) {

    public Gpu {
        groupDevices = groupDevices == null ? List.of() : List.copyOf(groupDevices);
    }

    /** A card as the inventory reads it, before its lending is known. */
    public Gpu(String bdf, String vendorId, String deviceId, String vendor, String name, String pciClass, String driver,
               String mode, Integer iommuGroup, boolean bootVga, Integer numaNode, Link link,
               List<GroupDevice> groupDevices, Passthrough passthrough, String usedBy) {
        this(bdf, vendorId, deviceId, vendor, name, pciClass, driver, mode, iommuGroup, bootVga, numaNode, link,
                groupDevices, passthrough, usedBy, null, null);
    }

    /** A card with its lending, its health not checked yet. */
    public Gpu(String bdf, String vendorId, String deviceId, String vendor, String name, String pciClass, String driver,
               String mode, Integer iommuGroup, boolean bootVga, Integer numaNode, Link link,
               List<GroupDevice> groupDevices, Passthrough passthrough, String usedBy, GpuLending lending) {
        this(bdf, vendorId, deviceId, vendor, name, pciClass, driver, mode, iommuGroup, bootVga, numaNode, link,
                groupDevices, passthrough, usedBy, lending, null);
    }

    /** Whether the card is in {@code mode} (the wire says the mode as a string, for clients that may not know a new one). */
    public boolean is(GpuMode mode) {
        return mode.wire().equals(this.mode);
    }

    public Gpu withLending(GpuLending now) {
        return new Gpu(bdf, vendorId, deviceId, vendor, name, pciClass, driver, mode, iommuGroup, bootVga, numaNode,
                link, groupDevices, passthrough, usedBy, now, health);
    }

    public Gpu withHealth(Health now) {
        return new Gpu(bdf, vendorId, deviceId, vendor, name, pciClass, driver, mode, iommuGroup, bootVga, numaNode,
                link, groupDevices, passthrough, usedBy, lending, now);
    }

    /**
     * The card's last health check (before a job got it, after a job's VM ended, or asked for):
     * {@code ok}, when ({@code checkedAt}, ISO-8601), and what was wrong, each as a blocker
     * (code {@code unhealthy}). A card that failed is quarantined until a check passes.
     */
    public record Health(boolean ok, String checkedAt, List<Blocker> problems) {
        public Health {
            problems = problems == null ? List.of() : List.copyOf(problems);
        }
    }

    /** PCIe link as the kernel reports it, e.g. "16.0 GT/s PCIe" x16. */
    public record Link(String speed, Integer width) {
    }

    /** Another device in the same IOMMU group; role is gpu, audio, usb, serial-bus, bridge or other. */
    public record GroupDevice(String bdf, String vendorId, String deviceId, String name, String pciClass,
                              String driver, String role) {
    }

    /** Whether moving to vfio-pci is possible now, and if not, every reason. */
    public record Passthrough(boolean possible, List<Blocker> blockers) {
        public Passthrough {
            blockers = blockers == null ? List.of() : List.copyOf(blockers);
        }
    }

    /** A reason passthrough is refused: a stable code, what is wrong, what to do. */
    public record Blocker(String code, String detail, String remedy) {
    }
}
