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
                "/run/rigdesk/rigdeskd.sock", "/sys", false, checks);
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
        assertEquals("rigdeskd 1.2.3 · pid 42 · uid 0 · up since 2026-11-27T10:00:00Z", model.daemonProperty().get());
    }

    @Test
    void allRequiredChecksPassingSaysReady() {
        HostViewModel model = new HostViewModel();
        model.update(info(List.of(new HostCheck("iommu", "IOMMU enabled", true, true, "ok", null),
                new HostCheck("vmm-firecracker", "firecracker found", false, false, "not on PATH", "install it"))));
        assertEquals("This host is ready for GPU passthrough.", model.summaryProperty().get());
    }
}
