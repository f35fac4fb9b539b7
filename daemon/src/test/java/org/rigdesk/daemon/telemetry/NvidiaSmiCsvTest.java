package org.rigdesk.daemon.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rigdesk.api.wire.ComputeProcess;
import org.rigdesk.api.wire.GpuSample;

/** Lines as real drivers print them for our --query-gpu and --query-compute-apps. */
class NvidiaSmiCsvTest {

    private static final Instant AT = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void rtx3060Idle() {
        GpuSample s = NvidiaSmiCsv.gpuLine("0, GPU-5a3e0f6c-8d41-2b7e-91a3-4c0d2e6f7a18, NVIDIA GeForce RTX 3060, "
                + "00000000:01:00.0, 550.54.15, 35, 0, 0, 12288, 5, 13.96, 170.00, 0, 210, P8", AT);
        assertEquals("0000:01:00.0", s.bdf());
        assertEquals(0, s.index());
        assertEquals("GPU-5a3e0f6c-8d41-2b7e-91a3-4c0d2e6f7a18", s.uuid());
        assertEquals("NVIDIA GeForce RTX 3060", s.name());
        assertEquals("550.54.15", s.driverVersion());
        assertEquals(35.0, s.temperatureC());
        assertEquals(0.0, s.utilizationGpu());
        assertEquals(12288.0, s.memoryTotalMiB());
        assertEquals(5.0, s.memoryUsedMiB());
        assertEquals(13.96, s.powerDrawW());
        assertEquals(170.0, s.powerLimitW());
        assertEquals(0.0, s.fanSpeedPct());
        assertEquals(210.0, s.smClockMHz());
        assertEquals("P8", s.pstate());
        assertEquals(GpuSample.HOST, s.source());
        assertEquals(AT, s.at());
    }

    @Test
    void rtx3090UnderLoadOnAnUpperCaseBus() {
        GpuSample s = NvidiaSmiCsv.gpuLine("1, GPU-a1b2c3d4-0000-1111-2222-333344445555, NVIDIA GeForce RTX 3090, "
                + "00000000:0A:00.0, 535.129.03, 71, 100, 63, 24576, 20321, 348.72, 350.00, 78, 1950, P2", AT);
        assertEquals("0000:0a:00.0", s.bdf(), "keyed by the kernel's address, never by index");
        assertEquals(100.0, s.utilizationGpu());
        assertEquals(63.0, s.utilizationMemory());
        assertEquals(20321.0, s.memoryUsedMiB());
        assertEquals(348.72, s.powerDrawW());
    }

    @Test
    void everyAbsentFormIsNull() {
        GpuSample s = NvidiaSmiCsv.gpuLine("0, GPU-x, NVIDIA A100-SXM4-40GB, 00000000:07:00.0, 550.54.15, [N/A], N/A, "
                + "[Not Supported], 40960, [Insufficient Permissions], [Unknown Error], , [N/A], [Not Supported], P0", AT);
        assertNull(s.temperatureC());
        assertNull(s.utilizationGpu());
        assertNull(s.utilizationMemory());
        assertEquals(40960.0, s.memoryTotalMiB());
        assertNull(s.memoryUsedMiB());
        assertNull(s.powerDrawW());
        assertNull(s.powerLimitW());
        assertNull(s.fanSpeedPct());
        assertNull(s.smClockMHz());
    }

    @Test
    void unitsPrintedByMistakeAreStripped() {
        GpuSample s = NvidiaSmiCsv.gpuLine("0, GPU-x, NVIDIA GeForce RTX 3060, 00000000:01:00.0, 550.54.15, 45 C, "
                + "45 %, 3 %, 12288 MiB, 1024 MiB, 120.50 W, 170.00 W, 30 %, 1800 MHz, P2", AT);
        assertEquals(45.0, s.utilizationGpu());
        assertEquals(1024.0, s.memoryUsedMiB());
        assertEquals(120.5, s.powerDrawW());
        assertEquals(1800.0, s.smClockMHz());
    }

    @Test
    void aCommaInTheNameIsKeptInTheName() {
        GpuSample s = NvidiaSmiCsv.gpuLine("0, GPU-x, NVIDIA RTX 6000 Ada Generation, Rev. 2, 00000000:41:00.0, "
                + "550.54.15, 40, 1, 0, 49140, 100, 30.1, 300.00, 30, 210, P8", AT);
        assertEquals("NVIDIA RTX 6000 Ada Generation, Rev. 2", s.name());
        assertEquals("0000:41:00.0", s.bdf());
        assertEquals(40.0, s.temperatureC());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "0, GPU-x, NVIDIA GeForce RTX 3060, 00000000:01:00.0, 550.54.15, 35, 0",
        "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
        "0, GPU-x, NVIDIA GeForce RTX 3060, not-a-bus, 550.54.15, 35, 0, 0, 12288, 5, 13.96, 170.00, 0, 210, P8",
        "0, GPU-x, NVIDIA GeForce RTX 3060, 00000000:01:00.0, 550.54.15, hot, 0, 0, 12288, 5, 13.96, 170.00, 0, 210, P8",
        ""})
    void truncatedOrGarbledLinesAreRejected(String line) {
        assertThrows(IllegalArgumentException.class, () -> NvidiaSmiCsv.gpuLine(line, AT));
    }

    @Test
    void linesCapturedFromARealH100Parse() throws Exception {
        List<String> lines;
        try (var in = getClass().getResourceAsStream("/nvidia-smi/h100-580.159.04.txt")) {
            lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        }
        assertEquals(4, lines.size());
        for (String line : lines) {
            GpuSample s = NvidiaSmiCsv.gpuLine(line, AT);
            assertEquals("0000:00:06.0", s.bdf());
            assertEquals("NVIDIA H100 80GB HBM3", s.name());
            assertEquals(81559.0, s.memoryTotalMiB());
            assertEquals(700.0, s.powerLimitW());
            assertNull(s.fanSpeedPct(), "passively cooled: [N/A]");
        }
        GpuSample loaded = NvidiaSmiCsv.gpuLine(lines.get(2), AT);
        assertEquals(100.0, loaded.utilizationGpu());
        assertEquals(661.42, loaded.powerDrawW());
        assertEquals(1980.0, loaded.smClockMHz());
        assertEquals(70.63, NvidiaSmiCsv.gpuLine(lines.get(3), AT).powerDrawW(), "units stripped");
        ComputeProcess real = NvidiaSmiCsv.appLine("00000000:00:06.0, 445, /opt/torch/.venv/bin/python3, 1386");
        assertEquals(445, real.pid());
        assertEquals("/opt/torch/.venv/bin/python3", real.name());
        assertEquals(1386.0, real.usedMemoryMiB());
    }

    @Test
    void computeAppsTakePidFromTheLeftAndMemoryFromTheRight() {
        ComputeProcess p = NvidiaSmiCsv.appLine("00000000:01:00.0, 4242, python3 train.py --sizes 8,16,32, 2310");
        assertEquals("0000:01:00.0", p.bdf());
        assertEquals(4242, p.pid());
        assertEquals("python3 train.py --sizes 8,16,32", p.name());
        assertEquals(2310.0, p.usedMemoryMiB());
        ComputeProcess noMemory = NvidiaSmiCsv.appLine("00000000:02:00.0, 77, /usr/bin/ollama, [N/A]");
        assertNull(noMemory.usedMemoryMiB());
        for (String bad : List.of("00000000:01:00.0, 4242", "garbage, x, y, 1", "00000000:01:00.0, pid, name, 1")) {
            assertThrows(IllegalArgumentException.class, () -> NvidiaSmiCsv.appLine(bad), bad);
        }
    }

    @Test
    void busIdsNormalise() {
        assertEquals("0000:01:00.0", SmiValues.busId("00000000:01:00.0"));
        assertEquals("0000:0a:00.0", SmiValues.busId("00000000:0A:00.0"));
        assertEquals("0001:65:00.0", SmiValues.busId("0001:65:00.0"));
        assertNull(SmiValues.busId("01:00.0"));
        assertNull(SmiValues.busId("00000000:01:00.9"));
    }
}
