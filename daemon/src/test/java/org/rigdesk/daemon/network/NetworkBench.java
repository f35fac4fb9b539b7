package org.rigdesk.daemon.network;

import com.fasterxml.jackson.databind.node.IntNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.daemon.jobs.ConfigDisks;
import org.rigdesk.testkit.BenchReport;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.daemon.testing.JobWaits;
import org.rigdesk.daemon.testing.NetworkWorld;
import org.rigdesk.daemon.vm.QemuCommand;
import org.rigdesk.daemon.vm.QemuVmm;
import org.rigdesk.daemon.vm.VmSpec;

/**
 * A guest downloading from a server outside it: through Rigdesk's job network (a routed tap,
 * nftables with per-flow counters, masquerade) against QEMU's user-mode network (slirp) in a bare
 * QEMU, same image, same server (a namespace the bench makes), same run. Timed inside the guest
 * (its uptime around wget), so boot does not count.
 */
@Tag("bench")
class NetworkBench {

    private static final int ROUNDS = 3;
    private static final long BYTES = 32L << 20;
    private static final String SCRIPT = "a=$(cut -d' ' -f1 /proc/uptime); wget -q -O /dev/null http://"
            + NetworkWorld.INTERNET + "/big.bin && b=$(cut -d' ' -f1 /proc/uptime) && echo \"took $a $b\"";
    private static final Pattern TOOK = Pattern.compile("took ([0-9.]+) ([0-9.]+)");

    @TempDir
    Path dir;

    @Test
    void downloadThroughTheJobNetworkAgainstUserModeNetworking() throws Exception {
        Path image = DaemonProcess.requireTestImage();
        List<Double> tap = new ArrayList<>();
        List<Double> user = new ArrayList<>();
        try (NetworkWorld world = new NetworkWorld(dir)) {
            world.publish("big.bin", BYTES);
            try (DaemonProcess daemon = new DaemonProcess(dir).withArgs("--dns-upstream", NetworkWorld.INTERNET)
                    .inNetworkNamespace(world.rig()).start();
                 DaemonClient client = daemon.client()) {
                for (int round = 0; round < ROUNDS; round++) {
                    Job job = client.send("POST", "/v1/jobs", new JobRequest(null, SCRIPT, IntNode.valueOf(0), 2, 512,
                            600, null, null, true), Job.class);
                    JobWaits.finished(client, job.id(), 600);
                    tap.add(seconds(JobWaits.log(client, job.id())));
                    user.add(userMode(image, round, world.rig()));
                }
            }
        }
        double viaTap = BenchReport.median(tap);
        double viaUser = BenchReport.median(user);
        BenchReport.row("network: 32 MiB download, Rigdesk job network (tap, nftables, NAT)",
                String.format("%.1f", BYTES / 1e6 / viaTap), "MB/s (median)", "of " + ROUNDS + ": " + tap + " s; TCG");
        BenchReport.row("network: same download, QEMU -netdev user (bare QEMU)",
                String.format("%.1f", BYTES / 1e6 / viaUser), "MB/s (median)", "of " + ROUNDS + ": " + user + " s; TCG");
        BenchReport.row("network: job network / user-mode throughput", String.format("%.2f", viaUser / viaTap), "ratio",
                "goal >= 1 (no slower)");
    }

    private static double seconds(String log) {
        Matcher took = TOOK.matcher(log);
        if (!took.find()) {
            throw new AssertionError("the guest did not report its download:\n" + log);
        }
        return Double.parseDouble(took.group(2)) - Double.parseDouble(took.group(1));
    }

    /**
     * The same guest in a bare QEMU with user-mode networking (slirp's fixed addresses), run in the
     * rig's namespace: slirp's connections go out from the process's own network, and outside the
     * rig they would have gone to the real 203.0.113.2 by the host's default route.
     */
    private double userMode(Path image, int round, String rig) throws Exception {
        Path work = Files.createDirectories(dir.resolve("user-" + round));
        new QemuVmm("qemu-system-x86_64", "qemu-img").createRootDisk(image.resolve("rootfs.ext4"), work.resolve("root.qcow2"));
        ConfigDisks.write(work.resolve("config.img"), SCRIPT, "address=10.0.2.15/24\ngateway=10.0.2.2\ndns=10.0.2.3\n");
        Files.createFile(work.resolve("console.log"));
        Files.createFile(work.resolve("control.log"));
        VmSpec spec = new VmSpec("user", work, image.resolve("vmlinuz"), image.resolve("initrd.img"),
                work.resolve("root.qcow2"), work.resolve("config.img"), 2, 512, List.of(), VmSpec.Accel.TCG,
                work.resolve("console.log"), work.resolve("control.log"));
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=" + rig, "--"));
        argv.addAll(QemuCommand.build("qemu-system-x86_64", spec, work.resolve("qmp.sock"),
                work.resolve("vmm.pid")));
        argv.addAll(List.of("-netdev", "user,id=net0", "-device", "virtio-net-pci,netdev=net0"));
        Process qemu = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(work.resolve("vmm.log").toFile())
                .start();
        if (!qemu.waitFor(600, TimeUnit.SECONDS)) {
            qemu.destroyForcibly();
        }
        return seconds(Files.readString(work.resolve("console.log")));
    }

}
