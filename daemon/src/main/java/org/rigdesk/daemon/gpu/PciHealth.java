package org.rigdesk.daemon.gpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.ProblemCode;

/**
 * What the host can tell of a card's health from sysfs while it is on vfio-pci (nvidia-smi cannot
 * run on it then): its config space (a vendor id of 0xffff: the card fell off the bus), its power
 * state (stuck in D3cold), whether it can be reset between jobs ({@code reset_method}), its link
 * (trained narrower than it can be; a lower speed at idle is power saving, not a fault) and its
 * AER counters (fatal and non-fatal errors that grew during a job).
 */
public record PciHealth(String vendor, String powerState, String runtimeStatus, String resetMethod, Integer linkWidth,
                        Integer maxLinkWidth, Aer aer) {

    /** The AER totals ({@code TOTAL_ERR_*} of aer_dev_fatal, aer_dev_nonfatal, aer_dev_correctable). */
    public record Aer(long fatal, long nonFatal, long correctable) {
    }

    /** Reads the function at {@code dir} (a /sys/bus/pci/devices entry). */
    public static PciHealth read(Path dir) {
        String resetMethod = SysfsReader.attribute(dir, "reset_method");
        // An empty reset_method: no reset; an absent one (kernels before 5.15): not known.
        return new PciHealth(vendor(dir), SysfsReader.attribute(dir, "power_state"),
                SysfsReader.attribute(dir.resolve("power"), "runtime_status"),
                resetMethod != null ? resetMethod : Files.exists(dir.resolve("reset_method")) ? "" : null,
                SysfsReader.integer(SysfsReader.attribute(dir, "current_link_width")),
                SysfsReader.integer(SysfsReader.attribute(dir, "max_link_width")),
                new Aer(total(dir, "aer_dev_fatal"), total(dir, "aer_dev_nonfatal"), total(dir, "aer_dev_correctable")));
    }

    /**
     * The vendor id as config space says it now: the {@code vendor} attribute is cached when the
     * card is found, {@code config} is read from the card (null when neither reads).
     */
    private static String vendor(Path dir) {
        try {
            byte[] config = Files.readAllBytes(dir.resolve("config"));
            if (config.length >= 2) {
                return String.format("%04x", (config[1] & 0xFF) << 8 | config[0] & 0xFF);
            }
        } catch (IOException e) {
            // no config space to read: the cached attribute
        }
        String cached = SysfsReader.attribute(dir, "vendor");
        return cached == null ? null : cached.replaceFirst("^0x", "").toLowerCase(java.util.Locale.ROOT);
    }

    private static long total(Path dir, String file) {
        String text = SysfsReader.attribute(dir, file);
        if (text == null) {
            return 0;
        }
        for (String line : text.split("\n")) {
            String[] words = line.strip().split("\\s+");
            if (words.length == 2 && words[0].startsWith("TOTAL_ERR_")) {
                try {
                    return Long.parseLong(words[1]);
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /**
     * Whether the kernel says it has no way to reset it (an empty reset_method). A kernel since 5.15
     * hides both reset_method and reset when a function has no method (the real-kernel test's
     * display that shares its bus with its audio function): no sysfs reset is tried then, and
     * vfio-pci tries a bus reset itself when the job's VM releases the group.
     */
    public boolean noReset() {
        return resetMethod != null && resetMethod.isBlank();
    }

    /**
     * What is wrong with the card now, each as a blocker; {@code before}: its AER totals when the
     * job got it (null: none to compare with, as at a check the owner asks for).
     */
    public List<Gpu.Blocker> problems(Aer before) {
        List<Gpu.Blocker> problems = new ArrayList<>();
        String reboot = "Reboot the host to bring the card back; if it happens again, check its seating, power "
                + "and cooling. Then run rigdesk gpu check on it.";
        if (vendor == null || vendor.equals("ffff")) {
            problems.add(new Gpu.Blocker(ProblemCode.UNHEALTHY, "its config space reads 0xffff: the card has fallen "
                    + "off the bus", reboot));
        }
        // Runtime power management may put an idle card in D3cold and wakes it on use: only a card
        // in D3cold that the kernel does not count as suspended is stuck there.
        if ("D3cold".equals(powerState) && !"suspended".equals(runtimeStatus)) {
            problems.add(new Gpu.Blocker(ProblemCode.UNHEALTHY, "it is stuck in D3cold (powered off)", reboot));
        }
        if (noReset()) {
            problems.add(new Gpu.Blocker(ProblemCode.UNHEALTHY, "it offers no reset method (reset_method is empty), so "
                    + "it cannot be brought back clean between jobs", "Check that the slot's bridge allows a bus reset "
                    + "(some boards need a BIOS update); until then no job gets the card."));
        }
        if (linkWidth != null && maxLinkWidth != null && linkWidth < maxLinkWidth) {
            problems.add(new Gpu.Blocker(ProblemCode.UNHEALTHY, "its link trained to x" + linkWidth + " of x"
                    + maxLinkWidth, "Reseat the card or try another slot, then run rigdesk gpu check on it."));
        }
        Aer was = before == null ? aer : before;
        if (aer.fatal() > was.fatal() || aer.nonFatal() > was.nonFatal()) {
            problems.add(new Gpu.Blocker(ProblemCode.UNHEALTHY, "PCIe errors during the job: " + (aer.fatal() - was.fatal())
                    + " fatal, " + (aer.nonFatal() - was.nonFatal()) + " non-fatal (AER)", reboot));
        }
        return problems;
    }
}
