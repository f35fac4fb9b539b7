package org.rigdesk.daemon.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rigdesk.daemon.gpu.Bdf;

class QemuCommandTest {

    private static VmSpec spec(List<Bdf> vfio, VmSpec.Accel accel) {
        Path dir = Path.of("/var/lib/rigdesk/jobs/7");
        return new VmSpec("job-7", dir, Path.of("/img/vmlinuz"), Path.of("/img/initrd.img"), dir.resolve("root.qcow2"),
                dir.resolve("config.img"), 4, 8192, vfio, accel, dir.resolve("console.log"), dir.resolve("control.log"));
    }

    private static String after(List<String> argv, String flag) {
        return argv.get(argv.indexOf(flag) + 1);
    }

    /** The value of the first {@code flag} after position {@code from}. */
    private static String after(List<String> argv, String flag, int from) {
        List<String> rest = argv.subList(from, argv.size());
        return rest.get(rest.indexOf(flag) + 1);
    }

    @Test
    void cpuJobsUnderKvmBootAMicrovmOverVirtioMmio() {
        List<String> argv = QemuCommand.build("qemu-system-x86_64", spec(List.of(), VmSpec.Accel.KVM),
                Path.of("/q.sock"), Path.of("/q.pid"));
        assertTrue(after(argv, "-M").startsWith("microvm"));
        assertEquals("kvm", after(argv, "-accel"));
        assertEquals("4", after(argv, "-smp"));
        assertEquals("8192M", after(argv, "-m"));
        assertTrue(argv.contains("virtio-blk-device,drive=root,serial=rigdesk-root"));
        assertTrue(argv.contains("virtio-blk-device,drive=config,serial=rigdesk-config"));
        assertTrue(argv.stream().noneMatch(a -> a.startsWith("vfio-pci")));
        assertEquals(VmSpec.CMDLINE, after(argv, "-append"), "nothing of the job on the kernel command line");
        assertFalse(argv.contains("-netdev"), "a local job's VM has no network card");
    }

    @Test
    void aCacheIsAThirdDiskTheGuestKnowsBySerialAndOnlyWhenAsked() {
        VmSpec local = spec(List.of(), VmSpec.Accel.KVM);
        assertFalse(String.join(" ", QemuCommand.build("qemu-system-x86_64", local, Path.of("/q.sock"),
                Path.of("/q.pid"))).contains("rigdesk-cache"));
        VmSpec cached = new VmSpec(local.name(), local.workDir(), local.kernel(), local.initramfs(), local.rootDisk(),
                local.configDisk(), 2, 1024, List.of(), VmSpec.Accel.KVM, local.consoleLog(), local.controlLog(), null,
                local.vmmLog(), local.launch(), local.workDir().resolve("cache.qcow2"));
        List<String> argv = QemuCommand.build("qemu-system-x86_64", cached, Path.of("/q.sock"), Path.of("/q.pid"));
        assertTrue(argv.contains("id=cache,file=/var/lib/rigdesk/jobs/7/cache.qcow2,format=qcow2,if=none,cache=unsafe"),
                argv.toString());
        assertTrue(argv.contains("virtio-blk-device,drive=cache,serial=rigdesk-cache"), argv.toString());
    }

    @Test
    void aNetworkedVmGetsItsOwnTapWithoutHelperScriptsOnItsBus() {
        VmSpec local = spec(List.of(), VmSpec.Accel.KVM);
        VmSpec runner = new VmSpec(local.name(), local.workDir(), local.kernel(), local.initramfs(), local.rootDisk(),
                local.configDisk(), 2, 1024, List.of(), VmSpec.Accel.KVM, local.consoleLog(), local.controlLog(),
                "rd-7", local.vmmLog(), local.launch());
        List<String> argv = QemuCommand.build("qemu-system-x86_64", runner, Path.of("/q.sock"), Path.of("/q.pid"));
        assertEquals("tap,id=net0,ifname=rd-7,script=no,downscript=no", after(argv, "-netdev"));
        assertFalse(String.join(" ", argv).contains("user,"), "no user-mode network: its gateway is the host's loopback");
        assertEquals("virtio-net-device,netdev=net0", after(argv, "-device", argv.indexOf("-netdev")));
    }

    @Test
    void aConfinedVmGetsItsTapAsDescriptor3AndAVmTakingADiskLaterAHotPlugPort() {
        VmSpec local = spec(List.of(), VmSpec.Accel.KVM);
        VmmLaunch confined = new VmmLaunch(List.of("/bin/sh", "-c", "join", "--"), List.of("setpriv", "--"), 1_900_000_003);
        VmSpec runner = new VmSpec(local.name(), local.workDir(), local.kernel(), local.initramfs(), local.rootDisk(),
                local.configDisk(), 2, 1024, List.of(), VmSpec.Accel.KVM, local.consoleLog(), local.controlLog(),
                "rd-7", local.vmmLog(), confined, null, null, true);
        List<String> argv = QemuCommand.build("qemu-system-x86_64", runner, Path.of("/q.sock"), Path.of("/q.pid"));
        assertEquals("tap,id=net0,fd=3", after(argv, "-netdev"));
        assertEquals("q35", after(argv, "-M"), "microvm has no slot to hot-plug into");
        assertTrue(argv.contains("pcie-root-port,id=rigdesk-hp0,chassis=1"), argv.toString());
        List<String> launched = confined.wrap(argv, "rd-7");
        int perl = launched.indexOf("/usr/bin/perl");
        assertEquals(List.of("rd-7", "unshare", "--net", "--", "setpriv", "--"), launched.subList(perl + 3, perl + 9),
                "the tap is opened before the namespace is left, and the uid dropped after");
        assertEquals(List.of("unshare", "--net", "--", "setpriv", "--", "qemu"),
                confined.wrap(List.of("qemu"), null).subList(4, 10), "no network: an empty namespace all the same");
        assertFalse(VmmLaunch.DIRECT.wrap(argv, "rd-7").contains("unshare"), "a daemon that is not root cannot");
        assertEquals(List.of("/bin/sh", "-c", "join", "--", "unshare", "--net", "--", "jailer"),
                confined.wrapJailer(List.of("jailer")), "a jailer: in an empty namespace, still root");
    }

    @Test
    void underTcgEvenCpuJobsUseQ35ForItsTimers() {
        List<String> argv = QemuCommand.build("qemu-system-x86_64", spec(List.of(), VmSpec.Accel.TCG),
                Path.of("/q.sock"), Path.of("/q.pid"));
        assertEquals("q35", after(argv, "-M"), "no kernel-irqchip without KVM");
        assertEquals("max", after(argv, "-cpu"));
        assertTrue(argv.contains("virtio-blk-pci,drive=root,serial=rigdesk-root"));
        assertFalse(argv.contains("intel-iommu,intremap=on,caching-mode=on"));
    }

    @Test
    void gpuJobsUseQ35WithAnIommuAndEveryFunctionOfEachGroup() {
        List<Bdf> functions = List.of(Bdf.parse("0000:01:00.0"), Bdf.parse("0000:01:00.1"), Bdf.parse("0000:01:00.2"),
                Bdf.parse("0000:01:00.3"), Bdf.parse("0000:02:00.0"), Bdf.parse("0000:02:00.1"));
        List<String> argv = QemuCommand.build("qemu-system-x86_64", spec(functions, VmSpec.Accel.KVM),
                Path.of("/q.sock"), Path.of("/q.pid"));
        assertTrue(after(argv, "-M").startsWith("q35"));
        assertEquals("host", after(argv, "-cpu"));
        assertTrue(argv.contains("intel-iommu,intremap=on,caching-mode=on"));
        for (Bdf function : functions) {
            assertEquals(1, Collections.frequency(argv, "vfio-pci,host=" + function.value()), function.value());
        }
        assertTrue(argv.contains("virtio-blk-pci,drive=root,serial=rigdesk-root"));
        assertFalse(argv.contains("virtio-blk-device,drive=root,serial=rigdesk-root"));
    }

    @Test
    void theSelectorPrefersCloudHypervisorForGpusAndFirecrackerForCpus() {
        Vmm qemu = fake("qemu", true);
        Vmm ch = fake("cloud-hypervisor", true);
        Vmm fc = fake("firecracker", false);
        VmmSelector all = new VmmSelector(Map.of("qemu", qemu, "cloud-hypervisor", ch, "firecracker", fc), "auto");
        assertEquals("cloud-hypervisor", all.choose(true).name());
        assertEquals("firecracker", all.choose(false).name());
        VmmSelector onlyQemu = new VmmSelector(Map.of("qemu", qemu), "auto");
        assertEquals("qemu", onlyQemu.choose(true).name());
        assertEquals("qemu", onlyQemu.choose(false).name());
        assertEquals("qemu", new VmmSelector(Map.of("qemu", qemu, "firecracker", fc), "qemu").choose(false).name());
        IllegalStateException noGpu = assertThrows(IllegalStateException.class,
                () -> new VmmSelector(Map.of("firecracker", fc), "auto").choose(true));
        assertTrue(noGpu.getMessage().contains("GPU jobs"), noGpu.getMessage());
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> new VmmSelector(Map.of(), "auto").choose(false));
        assertTrue(none.getMessage().contains("apt install qemu-system-x86"), none.getMessage());
    }

    private static Vmm fake(String name, boolean vfio) {
        return new Vmm() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean supportsVfio() {
                return vfio;
            }

            @Override
            public void createRootDisk(Path base, Path target) {
            }

            @Override
            public VmInstance boot(VmSpec spec) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
