package org.rigdesk.app.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuSample;

class GpuFactsTest {

    private static Gpu gpu(String mode, String driver, Integer numa) {
        return new Gpu("0000:01:00.0", "10de", "2330", "NVIDIA", "H100 80GB HBM3", "030200", driver, mode, 42, false,
                numa, new Gpu.Link("32.0 GT/s PCIe", 16), List.of(new Gpu.GroupDevice("0000:01:00.1", "10de", "22a3",
                "audio", "040300", "snd_hda_intel", "audio")), null, null);
    }

    @Test
    void aHostCardShowsItsUuidDriverLinkNumaAndGroup() {
        GpuSample sample = new GpuSample("0000:01:00.0", 0, "GPU-5e2c1d4a-0000-4000-8000-000000000001", "H100",
                "580.159.04", 35.0, 0.0, 0.0, 81559.0, 0.0, 70.0, 700.0, null, 345.0, "P0", GpuSample.HOST,
                Instant.now(), null);
        Map<String, String> facts = GpuFacts.of(gpu(GpuMode.HOST.wire(), "nvidia", 1), sample);
        assertEquals("GPU-5e2c1d4a-0000-4000-8000-000000000001", facts.get("UUID"));
        assertEquals("nvidia 580.159.04", facts.get("Driver"));
        assertEquals("32.0 GT/s PCIe x16", facts.get("PCIe link"));
        assertEquals("1", facts.get("NUMA node"));
        assertEquals("42, with 0000:01:00.1 audio (snd_hda_intel)", facts.get("IOMMU group"));
    }

    @Test
    void aVfioCardSaysWhatTheHostCannotKnow() {
        Map<String, String> facts = GpuFacts.of(gpu(GpuMode.VFIO.wire(), "vfio-pci", -1), null);
        assertTrue(facts.get("UUID").startsWith("n/a (on vfio-pci"), facts.get("UUID"));
        assertEquals("vfio-pci", facts.get("Driver"));
        assertEquals("n/a (single node)", facts.get("NUMA node"));
    }
}
