package org.rigdesk.daemon.vfio;

import org.rigdesk.api.wire.Gpu;
import org.rigdesk.daemon.problems.DomainException;

/** The refusal codes of {@code PUT /v1/gpus/{bdf}/mode} (409), as blockers and as the refusal a toggle throws. */
public final class Refusal {

    public static final String IOMMU_OFF = "iommu-off";
    public static final String GROUP_NOT_ISOLATED = "group-not-isolated";
    public static final String BOOT_VGA = "boot-vga";
    public static final String IN_USE = "in-use";
    public static final String VFIO_UNAVAILABLE = "vfio-unavailable";
    public static final String BUSY = "busy";
    public static final String NO_DRIVER_OVERRIDE = "no-driver-override";

    private Refusal() {
    }

    public static DomainException toException(Gpu.Blocker blocker) {
        return DomainException.refused(blocker.code(), "Refused", blocker.detail(), blocker.remedy());
    }
}
