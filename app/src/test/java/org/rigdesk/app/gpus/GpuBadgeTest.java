package org.rigdesk.app.gpus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.Job;

/** What a card's badge says about who holds it. */
class GpuBadgeTest {

    private static Gpu gpu(String mode, String usedBy) {
        return new Gpu("0000:01:00.0", "10de", "2503", "NVIDIA", "RTX 3060", "030000", "vfio-pci", mode, 12, false, 0,
                null, List.of(), null, usedBy);
    }

    @Test
    void anIdleRunnerSlotIsReadyNotInAJob() {
        assertEquals("Runner ready", GpuCardViewModel.badge(gpu(Gpu.VFIO, "7"), Job.READY));
        assertEquals("In job #7", GpuCardViewModel.badge(gpu(Gpu.VFIO, "7"), Job.RUNNING));
        assertEquals("In job #7", GpuCardViewModel.badge(gpu(Gpu.VFIO, "7"), null), "a job the app has not seen yet");
        assertEquals("VFIO", GpuCardViewModel.badge(gpu(Gpu.VFIO, null), Job.READY), "a stale holder is ignored");
        assertEquals("Host", GpuCardViewModel.badge(gpu(Gpu.HOST, null), null));
    }

    @Test
    void theBadgesStyleComesFromTheCardsStateNotItsWords() {
        assertEquals("mode-runner-ready", CardState.of(gpu(Gpu.VFIO, "7"), Job.READY).styleClass());
        assertEquals("mode-in-job", CardState.of(gpu(Gpu.VFIO, "7"), Job.RUNNING).styleClass());
        assertEquals("mode-changing", CardState.of(gpu(Gpu.CHANGING, null), null).styleClass());
        assertEquals("mode-unbound", CardState.of(gpu(Gpu.UNBOUND, null), null).styleClass());
        assertEquals("mode-host", CardState.of(gpu("something new", null), null).styleClass(),
                "a mode this app does not know reads as the host's");
    }
}
