package org.rigdesk.daemon.gpu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.ProblemCode;

/**
 * What only the job's VM sees of its GPUs, reported by the guest agent at the end of the job: the
 * Xid errors the NVIDIA driver logged there, pages waiting to be retired, a row remap that failed
 * ({@code nvidia-smi -q}). The guest is untrusted: a job can only make its own cards look worse
 * (quarantined until the owner checks them), never better.
 */
public record GuestGpuReport(List<Xid> xids, boolean retirementPending, boolean remapFailure) {

    /** One Xid line: the card's address as the guest sees it, the code, the driver's words. */
    public record Xid(String pci, int code, String text) {
    }

    /**
     * Xids that a job's own code causes (a CUDA program's exception, page fault, stopped channel, the
     * clean-up after one): the reset between jobs clears them. NVIDIA's Xid catalog lists the rest
     * as driver, bus, memory or thermal faults.
     */
    static final Set<Integer> CAUSED_BY_THE_JOB = Set.of(13, 31, 43, 45);

    public GuestGpuReport {
        xids = xids == null ? List.of() : List.copyOf(xids);
    }

    /** The problems the report shows, in the shape of blockers; empty when only the job's own faults. */
    public List<Gpu.Blocker> problems() {
        List<Gpu.Blocker> problems = new ArrayList<>();
        Map<Integer, Xid> firstOfEach = new LinkedHashMap<>();
        xids.stream().filter(xid -> !CAUSED_BY_THE_JOB.contains(xid.code())).forEach(xid -> firstOfEach.putIfAbsent(xid.code(), xid));
        for (Xid xid : firstOfEach.values()) {
            problems.add(new Gpu.Blocker(ProblemCode.UNHEALTHY, "the job's VM logged Xid " + xid.code()
                    + (xid.text().isEmpty() ? "" : " (" + xid.text() + ")") + " for its GPU at " + xid.pci(),
                    xid.code() == 79 ? "The card fell off the bus: reboot the host."
                            : "See NVIDIA's Xid catalog for Xid " + xid.code() + "; reboot the host if it recurs, then "
                                    + "check the card again."));
        }
        if (remapFailure) {
            problems.add(new Gpu.Blocker(ProblemCode.UNHEALTHY, "a row remap failed in the card's memory (nvidia-smi -q "
                    + "in the job's VM)", "The card's memory has faults it cannot repair: have the card serviced."));
        }
        if (retirementPending) {
            problems.add(new Gpu.Blocker(ProblemCode.UNHEALTHY, "pages of the card's memory wait to be retired "
                    + "(nvidia-smi -q in the job's VM)", "Reboot the host so the driver retires them, then check the card."));
        }
        return problems;
    }
}
