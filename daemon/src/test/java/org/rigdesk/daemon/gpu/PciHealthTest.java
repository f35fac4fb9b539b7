package org.rigdesk.daemon.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.daemon.simulation.SysfsTree;

/** A card's health as sysfs tells it, one fault at a time, on a device directory as the kernel lays it out. */
class PciHealthTest {

    @TempDir
    Path dir;

    @BeforeEach
    void healthyCard() throws Exception {
        for (String[] attribute : new String[][] {{"vendor", "0x10de"}, {"power_state", "D0"}, {"reset_method", "flr bus"},
                {"current_link_width", "16"}, {"max_link_width", "16"}, {"current_link_speed", "2.5 GT/s PCIe"},
                {"max_link_speed", "16.0 GT/s PCIe"}}) {
            Files.writeString(dir.resolve(attribute[0]), attribute[1] + "\n");
        }
        Files.write(dir.resolve("config"), new byte[] {(byte) 0xde, 0x10, (byte) 0x84, 0x27});
        Files.writeString(dir.resolve("aer_dev_fatal"), SysfsTree.Device.aer("TOTAL_ERR_FATAL", 0));
        Files.writeString(dir.resolve("aer_dev_nonfatal"), SysfsTree.Device.aer("TOTAL_ERR_NONFATAL", 2));
        Files.writeString(dir.resolve("aer_dev_correctable"), SysfsTree.Device.aer("TOTAL_ERR_COR", 40));
    }

    private List<String> problems(PciHealth.Aer before) {
        return PciHealth.read(dir).problems(before).stream().map(Gpu.Blocker::detail).toList();
    }

    @Test
    void aHealthyCardAtIdleSpeedHasNoProblem() {
        PciHealth health = PciHealth.read(dir);
        assertEquals("10de", health.vendor());
        assertEquals(new PciHealth.Aer(0, 2, 40), health.aer());
        assertEquals(List.of(), problems(null), "a lower link speed at idle is power saving, not a fault");
    }

    @Test
    void eachFaultIsAProblemWithItsRemedy() throws Exception {
        Files.write(dir.resolve("config"), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        assertTrue(problems(null).contains("its config space reads 0xffff: the card has fallen off the bus"));
        healthyCard();
        Files.writeString(dir.resolve("power_state"), "D3cold\n");
        assertEquals(List.of("it is stuck in D3cold (powered off)"), problems(null));
        Files.createDirectories(dir.resolve("power"));
        Files.writeString(dir.resolve("power/runtime_status"), "suspended\n");
        assertEquals(List.of(), problems(null), "put to sleep by runtime power management, it wakes on use");
        Files.writeString(dir.resolve("power/runtime_status"), "active\n");
        assertEquals(List.of("it is stuck in D3cold (powered off)"), problems(null));
        healthyCard();
        Files.writeString(dir.resolve("reset_method"), "\n");
        assertTrue(problems(null).get(0).startsWith("it offers no reset method"));
        Files.delete(dir.resolve("reset_method"));
        assertEquals(List.of(), problems(null), "a kernel without reset_method says nothing either way");
        healthyCard();
        Files.writeString(dir.resolve("current_link_width"), "1\n");
        assertEquals(List.of("its link trained to x1 of x16"), problems(null));
        healthyCard();
        Files.writeString(dir.resolve("aer_dev_fatal"), SysfsTree.Device.aer("TOTAL_ERR_FATAL", 1));
        Files.writeString(dir.resolve("aer_dev_correctable"), SysfsTree.Device.aer("TOTAL_ERR_COR", 90));
        assertEquals(List.of("PCIe errors during the job: 1 fatal, 0 non-fatal (AER)"),
                problems(new PciHealth.Aer(0, 2, 40)), "correctable errors are corrected: not a fault");
        assertEquals(List.of(), problems(null), "without totals from before the job, nothing grew");
        assertTrue(PciHealth.read(dir).problems(new PciHealth.Aer(0, 2, 40)).stream()
                .allMatch(p -> p.code().equals("unhealthy") && p.remedy() != null));
    }
}
