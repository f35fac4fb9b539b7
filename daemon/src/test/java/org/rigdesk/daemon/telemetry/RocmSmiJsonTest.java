package org.rigdesk.daemon.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.GpuSample;

class RocmSmiJsonTest {

    @Test
    void mapsEachCardToASampleKeyedByItsBus() throws Exception {
        // As rocm-smi 5.x/6.x prints it: every value a string, keyed by human labels.
        String json = """
                {"card0": {"GPU use (%)": "37", "GPU Memory Allocated (VRAM%)": "12",
                           "Temperature (Sensor edge) (C)": "51.0", "Temperature (Sensor junction) (C)": "60.0",
                           "Average Graphics Package Power (W)": "145.0", "GPU memory use (%)": "9",
                           "PCI Bus": "0000:03:00.0", "Card series": "Navi 21 [Radeon RX 6800 XT]"},
                 "card1": {"GPU use (%)": "N/A", "Temperature (Sensor edge) (C)": "N/A",
                           "Current Socket Graphics Package Power (W)": "12.5", "PCI Bus": "0000:0C:00.0"},
                 "system": {"Driver version": "6.7.0"}}
                """;
        List<GpuSample> samples = RocmSmiJson.parse(json, Instant.EPOCH);
        assertEquals(2, samples.size());
        GpuSample first = samples.get(0);
        assertEquals("0000:03:00.0", first.bdf());
        assertEquals(0, first.index());
        assertEquals(37.0, first.utilizationGpu());
        assertEquals(51.0, first.temperatureC());
        assertEquals(145.0, first.powerDrawW());
        assertEquals(9.0, first.utilizationMemory());
        GpuSample second = samples.get(1);
        assertEquals("0000:0c:00.0", second.bdf());
        assertNull(second.utilizationGpu());
        assertNull(second.temperatureC());
        assertEquals(12.5, second.powerDrawW());
    }
}
