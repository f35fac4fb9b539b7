package org.rigdesk.daemon.simulation;

import java.nio.file.Path;
import java.util.List;

/** Named fake rigs for {@code rigdeskd --simulate NAME}, the demo and the tests. */
public final class DemoRigs {

    public static final List<String> NAMES = List.of("desktop", "turing", "lab");

    private DemoRigs() {
    }

    public static SysfsTree build(String name, Path dir) {
        return switch (name) {
            case "desktop" -> desktop(dir);
            case "turing" -> turing(dir);
            case "lab" -> lab(dir);
            default -> throw new IllegalArgumentException("no demo rig named '" + name + "'; choose one of " + NAMES);
        };
    }

    /** The common base: chipset, an Intel iGPU driving the monitor (boot VGA), a NIC on its own. */
    private static SysfsTree base(Path dir) {
        return SysfsTree.create(dir).iommu()
                .drivers("pcieport", "nvidia", "snd_hda_intel", "i915", "igc", "xhci_hcd")
                .device("0000:00:00.0").ids("8086", "4660", "060000").group(0).add()
                .device("0000:00:01.0").ids("8086", "460d", "060400").driver("pcieport").group(1).add()
                .device("0000:00:06.0").ids("8086", "464d", "060400").driver("pcieport").group(2).add()
                .device("0000:00:02.0").ids("8086", "4680", "030000").driver("i915").group(3).bootVga(true)
                .link("Unknown", "0").drm("card0", "renderD128").connector("card0-HDMI-A-1", "connected").add()
                .device("0000:00:14.0").ids("8086", "7ae0", "0c0330").driver("xhci_hcd").group(4).add()
                .device("0000:00:1f.3").ids("8086", "7ad0", "040380").driver("snd_hda_intel").group(15).add()
                .device("0000:04:00.0").ids("8086", "15f3", "020000").driver("igc").group(14).link("5.0 GT/s PCIe", "1")
                .add();
    }

    /** A desktop with an iGPU plus two RTX 3060, each with its HDMI audio function. */
    public static SysfsTree desktop(Path dir) {
        return base(dir)
                .device("0000:01:00.0").ids("10de", "2503", "030000").driver("nvidia").group(12).behind("0000:00:01.0")
                .drm("card1", "renderD129").nvidiaMinor(0).add()
                .device("0000:01:00.1").ids("10de", "228e", "040300").driver("snd_hda_intel").group(12)
                .behind("0000:00:01.0").add()
                .device("0000:02:00.0").ids("10de", "2503", "030000").driver("nvidia").group(13).behind("0000:00:06.0")
                .drm("card2", "renderD130").nvidiaMinor(1).link("8.0 GT/s PCIe", "4").add()
                .device("0000:02:00.1").ids("10de", "228e", "040300").driver("snd_hda_intel").group(13)
                .behind("0000:00:06.0").add();
    }

    /** A lab box: eight RTX 3090, each with its audio function in its own group (load and benchmarks). */
    public static SysfsTree lab(Path dir) {
        SysfsTree tree = base(dir);
        for (int card = 0; card < 8; card++) {
            String bus = String.format("%02x", 0x10 + card);
            tree.device("0000:" + bus + ":00.0").ids("10de", "2204", "030000").driver("nvidia").group(20 + card)
                    .behind("0000:00:01.0").drm("card" + (card + 1), "renderD" + (129 + card)).nvidiaMinor(card)
                    .link("16.0 GT/s PCIe", "16").add()
                    .device("0000:" + bus + ":00.1").ids("10de", "1aef", "040300").driver("snd_hda_intel")
                    .group(20 + card).behind("0000:00:01.0").add();
        }
        return tree;
    }

    /** A Turing card with four functions in one group: VGA, HDMI audio, USB-C xHCI, UCSI. */
    public static SysfsTree turing(Path dir) {
        return base(dir).drivers("nvidia-gpu")
                .device("0000:01:00.0").ids("10de", "1e07", "030000").driver("nvidia").group(16).behind("0000:00:01.0")
                .drm("card1", "renderD129").nvidiaMinor(0).add()
                .device("0000:01:00.1").ids("10de", "10f7", "040300").driver("snd_hda_intel").group(16)
                .behind("0000:00:01.0").add()
                .device("0000:01:00.2").ids("10de", "1ad6", "0c0330").driver("xhci_hcd").group(16)
                .behind("0000:00:01.0").add()
                .device("0000:01:00.3").ids("10de", "1ad7", "0c8000").driver("nvidia-gpu").group(16)
                .behind("0000:00:01.0").add();
    }
}
