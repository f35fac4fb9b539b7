package org.rigdesk.app.realkernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The toggle on a real Linux kernel: a q35 guest (TCG) with an emulated Intel IOMMU, a boot VGA,
 * a secondary display with an HDA audio function in the same slot (one IOMMU group), a third
 * display alone behind a root port (the kernel can reset its bus: the owner's reset between two
 * moves), and a NIC in its own group. The guest runs the real rigdeskd and rigdesk CLI from this build, chrooted
 * into the host's root shared read-only over 9p.
 */
@Tag("real-kernel")
class RealKernelToggleTest {

    private static final Path REPO = Path.of(System.getProperty("rigdesk.repo", ".")).toAbsolutePath();
    private static final Path GUEST = REPO.resolve("build/real-kernel");

    @Test
    void secondaryDisplayAndItsAudioGoToVfioAndBackAndTheBootVgaIsRefused() throws Exception {
        if (!Files.isRegularFile(GUEST.resolve("vmlinuz"))) {
            throw new IllegalStateException("the real-kernel guest is missing at " + GUEST
                    + ": run ./dev test, or packaging/image/build-real-kernel-guest.sh " + GUEST);
        }
        // The guest sees the host's root at / (read-only): the run files live in build/.
        Path run = Files.createDirectories(GUEST.resolve("run"));
        try (var script = getClass().getResourceAsStream("/real-kernel/guest.sh")) {
            Files.copy(script, run.resolve("guest.sh"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(run.resolve("classpath"), System.getProperty("java.class.path"));
        Files.writeString(run.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Files.writeString(run.resolve("modules"), GUEST.resolve("root").toString());
        Path console = run.resolve("console.log");
        Files.deleteIfExists(console);

        List<String> qemu = List.of("qemu-system-x86_64", "-M", "q35,kernel-irqchip=split", "-accel", "tcg",
                "-cpu", "max", "-m", "3072", "-smp", "2", "-nodefaults", "-no-user-config", "-no-reboot",
                "-display", "none",
                "-device", "intel-iommu,intremap=on",
                "-device", "VGA",
                "-device", "secondary-vga,bus=pcie.0,addr=0x5.0,multifunction=on",
                "-device", "intel-hda,bus=pcie.0,addr=0x5.1",
                // A third display alone behind a root port: the one the kernel can reset (its bus).
                "-device", "pcie-root-port,id=rp1,bus=pcie.0,addr=0x7,chassis=1",
                "-device", "secondary-vga,bus=rp1,addr=0x0",
                "-netdev", "user,id=n0,restrict=on", "-device", "e1000e,bus=pcie.0,addr=0x6.0,netdev=n0",
                "-fsdev", "local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap",
                "-device", "virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot",
                "-kernel", GUEST.resolve("vmlinuz").toString(), "-initrd", GUEST.resolve("initrd.img").toString(),
                "-append", "console=ttyS0 intel_iommu=on quiet rk.script=" + run.resolve("guest.sh"),
                "-serial", "file:" + console);
        long start = System.nanoTime();
        Process vm = new ProcessBuilder(qemu).redirectErrorStream(true)
                .redirectOutput(run.resolve("qemu.log").toFile()).start();
        String ended = "QEMU exited " + (vm.waitFor(20, TimeUnit.MINUTES) ? vm.exitValue() : "not: killed after 20 min");
        vm.destroyForcibly();
        double seconds = (System.nanoTime() - start) / 1e9;
        String out = Files.exists(console) ? Files.readString(console) : "";
        String rk = out.lines().filter(l -> l.startsWith("RK: ")).collect(Collectors.joining("\n"));
        System.out.printf("real-kernel guest ran %.0f s (%s); it printed:%n%s%n", seconds, ended, rk);
        // Once (of four runs) the VM ended mid-script without a word on its console: QEMU's exit
        // status and log say whether QEMU itself died.
        assertTrue(rk.contains("RK: done"), "the guest did not finish (" + ended + ", QEMU's log: "
                + Files.readString(run.resolve("qemu.log")).strip() + "):\n" + out);

        String secondary = value(rk, "secondary=(\\S+)");
        String audio = value(rk, "audio=(\\S+)");
        String boot = value(rk, "devices boot=(\\S+)");
        assertTrue(line(rk, "start").contains(secondary + "=bochs-drm") && line(rk, "start").contains(audio + "=snd_hda_intel"),
                line(rk, "start"));

        // The daemon lists both display devices, with the audio function as the secondary's group peer.
        String gpus = line(rk, "gpus-json");
        assertTrue(gpus.contains("\"bdf\":\"" + boot + "\"") && gpus.contains("\"bdf\":\"" + secondary + "\""), gpus);
        assertTrue(gpus.contains("\"groupDevices\":[{\"bdf\":\"" + audio + "\""), gpus);

        String toVfio = line(rk, "to-vfio");
        assertTrue(toVfio.contains("exit=0"), toVfio);
        assertTrue(toVfio.contains(secondary + "=vfio-pci") && toVfio.contains(audio + "=vfio-pci"), toVfio);
        String group = value(toVfio, "group=(\\d+)");
        assertTrue(toVfio.contains("devvfio=") && value(toVfio, "devvfio=(\\S*)").contains(group + ","), toVfio);

        // The owner's reset through sysfs between two moves: done for the card the kernel can reset
        // (audited, the card healthy and back on its driver after), refused for one it cannot.
        String lone = value(rk, "lone=(\\S+)");
        assertTrue(line(rk, "reset-methods").contains(lone + "=bus") && line(rk, "reset-methods").contains(secondary
                + "=none"), line(rk, "reset-methods"));
        String refused = line(rk, "reset-refused");
        assertTrue(refused.contains("exit=1") && refused.contains("has no reset"), refused);
        assertTrue(line(rk, "lone-to-vfio").contains("exit=0 " + lone + "=vfio-pci"), line(rk, "lone-to-vfio"));
        String reset = line(rk, "reset");
        assertTrue(reset.contains("exit=0 " + lone + "=vfio-pci") && reset.contains("is healthy"), reset);
        assertTrue(line(rk, "lone-to-host").contains("exit=0 " + lone + "=bochs-drm"), line(rk, "lone-to-host"));
        assertTrue(line(rk, "audit").contains("gpu.reset"), line(rk, "audit"));

        String toHost = line(rk, "to-host");
        assertTrue(toHost.contains("exit=0"), toHost);
        assertTrue(toHost.contains(secondary + "=bochs-drm") && toHost.contains(audio + "=snd_hda_intel"), toHost);

        String bootVga = line(rk, "boot-vga");
        assertTrue(bootVga.contains("exit=1") && bootVga.contains("boot display"), bootVga);
        assertTrue(bootVga.contains(boot + "=bochs-drm"), "the boot VGA was not touched: " + bootVga);

        String afterRestart = line(rk, "after-restart");
        assertTrue(!afterRestart.contains("=none"), "a function was left unbound: " + afterRestart);
        assertEquals(2, afterRestart.split("vfio-pci", -1).length - 1,
                "restart completes the journalled move to vfio: " + afterRestart);
    }

    private static String line(String rk, String tag) {
        return rk.lines().filter(l -> l.startsWith("RK: " + tag + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + tag + "' line in:\n" + rk));
    }

    private static String value(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + regex + " in:\n" + text);
        }
        return m.group(1);
    }
}
