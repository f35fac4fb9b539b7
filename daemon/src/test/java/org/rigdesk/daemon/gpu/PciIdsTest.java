package org.rigdesk.daemon.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PciIdsTest {

    @TempDir
    Path dir;

    private PciIds sample() throws Exception {
        Path file = dir.resolve("pci.ids");
        Files.writeString(file, """
                # comment
                10de  NVIDIA Corporation
                \t2503  GA106 [GeForce RTX 3060]
                \t\t1458 4071  GA106 [GeForce RTX 3060 Gaming OC]
                \t228e  GA106 High Definition Audio Controller
                1002  Advanced Micro Devices, Inc. [AMD/ATI]
                \t73bf  Navi 21 [Radeon RX 6800/6800 XT / 6900 XT]
                broken line
                \t1234  ignored: follows a broken vendor line
                C 03  Display controller
                \t00  VGA compatible controller
                """);
        return PciIds.load(List.of(dir.resolve("absent.ids"), file));
    }

    @Test
    void namesComeFromTheBracketedMarketingName() throws Exception {
        PciIds ids = sample();
        assertEquals("NVIDIA Corporation", ids.vendor("10de"));
        assertEquals("GeForce RTX 3060", ids.device("10de", "2503"));
        assertEquals("GA106 High Definition Audio Controller", ids.device("10de", "228e"));
        assertEquals("Radeon RX 6800/6800 XT / 6900 XT", ids.device("1002", "73bf"));
        assertEquals(3, ids.size(), "subsystem and class lines are not devices");
    }

    @Test
    void unknownIdsFallBackToVendorAndNumber() throws Exception {
        PciIds ids = sample();
        assertEquals("NVIDIA device 27b2", ids.device("10de", "27b2"));
        assertEquals("AMD/ATI device 1234", ids.device("1002", "1234"));
        assertEquals("Vendor abcd device 0001", ids.device("abcd", "0001"));
    }

    @Test
    void withoutAnyFileEveryNameIsANumber() {
        PciIds ids = PciIds.load(List.of(dir.resolve("none")));
        assertEquals("NVIDIA device 2503", ids.device("10de", "2503"));
        assertEquals("NVIDIA Corporation", ids.vendor("10de"), "well-known GPU vendors are built in");
        assertEquals("Vendor abcd", ids.vendor("abcd"));
    }
}
