package org.rigdesk.daemon.vfio;

import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.ProblemCode;
import org.rigdesk.daemon.problems.DomainException;

/** The refusal codes of {@code PUT /v1/gpus/{bdf}/mode} (409), as blockers and as the refusal a toggle throws. */
public final class Refusal {

    public static final String IOMMU_OFF = ProblemCode.IOMMU_OFF;
    public static final String GROUP_NOT_ISOLATED = ProblemCode.GROUP_NOT_ISOLATED;
    public static final String BOOT_VGA = ProblemCode.BOOT_VGA;
    public static final String IN_USE = ProblemCode.IN_USE;
    public static final String VFIO_UNAVAILABLE = ProblemCode.VFIO_UNAVAILABLE;
    public static final String BUSY = ProblemCode.BUSY;
    public static final String NO_DRIVER_OVERRIDE = ProblemCode.NO_DRIVER_OVERRIDE;

    private Refusal() {
    }

    public static DomainException toException(Gpu.Blocker blocker) {
        return DomainException.refused(blocker.code(), "Refused", blocker.detail(), blocker.remedy());
    }
}
