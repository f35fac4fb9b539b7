package org.rigdesk.app.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.HostCheck;
import org.rigdesk.api.wire.Info;

class HostViewModelTest {

    private static Info info(List<HostCheck> checks) {
        return new Info("1.2.3", 42, Instant.parse("2026-11-27T10:00:00.123Z"), 0, "/var/lib/rigdesk",
                "/run/rigdesk/rigdeskd.sock", "/sys", false, checks, null);
    }

    @Test
    void marksEachCheckAndKeepsRemediesOnlyForFailures() {
        HostViewModel model = new HostViewModel();
        model.update(info(List.of(
                new HostCheck("iommu", "IOMMU enabled", false, true, "no IOMMU", "enable it"),
                new HostCheck("kvm", "KVM usable", true, false, "/dev/kvm is usable", "ignored"),
                new HostCheck("vmm-firecracker", "firecracker found", false, false, "not on PATH", "install it"))));
        assertEquals(3, model.checks().size());
        assertEquals(HostViewModel.Mark.FAILED, model.checks().get(0).mark());
        assertEquals("enable it", model.checks().get(0).remedy());
        assertEquals(HostViewModel.Mark.OK, model.checks().get(1).mark());
        assertNull(model.checks().get(1).remedy());
        assertEquals(HostViewModel.Mark.MISSING, model.checks().get(2).mark());
        assertTrue(model.summaryProperty().get().startsWith("1 required check fails"), model.summaryProperty().get());
        assertEquals(org.rigdesk.app.status.Tone.BAD, model.verdictProperty().get());
        assertEquals("required", model.checks().get(0).level());
        assertEquals("recommended", model.checks().get(2).level(), "a check that blocks nothing is recommended by default");
        assertEquals("rigdeskd 1.2.3 · pid 42 · uid 0 · up since 2026-11-27T10:00:00Z", model.daemonProperty().get());
    }

    @Test
    void allRequiredChecksPassingSaysReady() {
        HostViewModel model = new HostViewModel();
        model.update(info(List.of(new HostCheck("iommu", "IOMMU enabled", true, true, "ok", null),
                new HostCheck("vmm-firecracker", "Firecracker (CPU jobs)", false, false, "not on PATH", "install it")
                        .advised(HostCheck.OPTIONAL, null))));
        assertEquals("This host is ready for GPU passthrough.", model.summaryProperty().get(),
                "an optional tool missing is no reason to worry");
        assertEquals(org.rigdesk.app.status.Tone.GOOD, model.verdictProperty().get());
    }

    @Test
    void aRecommendationLeavesTheHostReadyAndOffersItsCommandToCopy() {
        HostViewModel model = new HostViewModel();
        model.update(info(List.of(new HostCheck("iommu", "IOMMU enabled", true, true, "ok", null),
                new HostCheck("vmm-qemu-system-x86_64", "QEMU (any job)", false, false, "not on PATH",
                        "Install it: apt install qemu-system-x86").advised(HostCheck.RECOMMENDED,
                        "sudo apt install qemu-system-x86 qemu-utils"),
                new HostCheck("vmm-firecracker", "Firecracker (CPU jobs)", false, false, "not on PATH", "install it")
                        .advised(HostCheck.OPTIONAL, null))));
        assertEquals(org.rigdesk.app.status.Tone.WARN, model.verdictProperty().get());
        assertTrue(model.summaryProperty().get().startsWith("This host is ready for GPU passthrough; 1 recommendation"),
                model.summaryProperty().get());
        assertEquals("sudo apt install qemu-system-x86 qemu-utils", model.checks().get(1).command());
        assertEquals("optional", model.checks().get(2).level());
        assertNull(model.checks().get(0).command(), "a passing check has nothing to run");
    }
}
