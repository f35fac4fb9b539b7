package org.rigdesk.daemon.jobs;

import com.fasterxml.jackson.databind.node.IntNode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.testkit.BenchReport;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.daemon.vm.QemuCommand;
import org.rigdesk.daemon.vm.QemuVmm;
import org.rigdesk.daemon.vm.VmSpec;

/** Job VM cost: boot to first output through the daemon against bare QEMU, and log throughput. */
@Tag("bench")
class JobsBench {

    private static final int ROUNDS = 5;
    private static final String MARK = "rigdesk-first-output";

    @TempDir
    Path dir;

    @Test
    void bootToFirstOutputAgainstBareQemu() throws Exception {
        Path image = DaemonProcess.requireTestImage();
        List<Double> daemonSeconds = new ArrayList<>();
        List<Double> bareSeconds = new ArrayList<>();
        try (DaemonProcess daemon = new DaemonProcess(dir).start(); DaemonClient client = daemon.client()) {
            for (int round = 0; round < ROUNDS; round++) {
                long start = System.nanoTime();
                Job job = client.send("POST", "/v1/jobs", new JobRequest(null, "echo " + MARK, IntNode.valueOf(0), 1,
                        256, null, null, null), Job.class);
                FirstMark sink = new FirstMark(start);
                client.stream("/v1/jobs/" + job.id() + "/log?follow=true", sink);
                daemonSeconds.add(sink.seconds);
                bareSeconds.add(bare(image, round));
            }
        }
        double daemon = BenchReport.median(daemonSeconds);
        double bare = BenchReport.median(bareSeconds);
        BenchReport.row("jobs: boot to first output via rigdeskd (TCG)", String.format("%.2f", daemon), "s (median)",
                "of " + ROUNDS + ": " + daemonSeconds);
        BenchReport.row("jobs: same image, bare qemu-system-x86_64", String.format("%.2f", bare), "s (median)",
                "of " + ROUNDS + ": " + bareSeconds);
        BenchReport.row("jobs: daemon / bare boot ratio", String.format("%.2f", daemon / bare), "ratio", "goal <= 1.1");
    }

    /** The same VM started by hand: same argv, same disks, timed to the same marker in the console. */
    private double bare(Path image, int round) throws Exception {
        Path work = Files.createDirectories(dir.resolve("bare-" + round));
        new QemuVmm("qemu-system-x86_64", "qemu-img").createRootDisk(image.resolve("rootfs.ext4"), work.resolve("root.qcow2"));
        ConfigDisks.write(work.resolve("config.img"), "echo " + MARK, null);
        Files.createFile(work.resolve("console.log"));
        Files.createFile(work.resolve("control.log"));
        VmSpec spec = new VmSpec("bare", work, image.resolve("vmlinuz"), image.resolve("initrd.img"),
                work.resolve("root.qcow2"), work.resolve("config.img"), 1, 256, List.of(), VmSpec.Accel.TCG,
                work.resolve("console.log"), work.resolve("control.log"));
        long start = System.nanoTime();
        Process qemu = new ProcessBuilder(QemuCommand.build("qemu-system-x86_64", spec, work.resolve("qmp.sock"),
                work.resolve("vmm.pid"))).redirectErrorStream(true).redirectOutput(work.resolve("vmm.log").toFile()).start();
        double seconds = -1;
        while (qemu.isAlive() || seconds < 0) {
            if (Files.readString(work.resolve("console.log")).contains(MARK)) {
                seconds = (System.nanoTime() - start) / 1e9;
                break;
            }
            Thread.sleep(5);
        }
        qemu.waitFor(30, TimeUnit.SECONDS);
        return seconds;
    }

    @Test
    void logThroughputToAFollowingClient() throws Exception {
        DaemonProcess.requireTestImage();
        long bytes = 20L * 1024 * 1024;
        try (DaemonProcess daemon = new DaemonProcess(dir).start(); DaemonClient client = daemon.client()) {
            Job job = client.send("POST", "/v1/jobs", new JobRequest(null,
                    // Written to memory first, then printed: busybox's yes makes only ~17 MB/s under TCG,
                    // so printing a file measures the output path, not the generator.
                    "yes 'rigdesk log line: the quick brown fox jumps over the lazy dog 0123456789' | head -c " + bytes
                            + " > /tmp/out; cat /tmp/out",
                    IntNode.valueOf(0), 2, 512, null, null, null), Job.class);
            CountingSink sink = new CountingSink();
            long start = System.nanoTime();
            client.stream("/v1/jobs/" + job.id() + "/log?follow=true", sink);
            double seconds = (System.nanoTime() - start) / 1e9;
            double fromFirst = (System.nanoTime() - sink.firstByte) / 1e9;
            BenchReport.row("jobs: log throughput to rigdesk logs -f", String.format("%.2f", sink.count / 1e6 / fromFirst),
                    "MB/s", String.format("%,d bytes; %.1f s from first byte (%.1f s with boot); the guest's output port under TCG",
                            sink.count, fromFirst, seconds));
        }
    }


    /** Notes when the marker first arrives. */
    private static final class FirstMark extends OutputStream {
        private final long start;
        private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
        private double seconds = -1;

        FirstMark(long start) {
            this.start = start;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            seen.write(b, off, len);
            if (seconds < 0 && seen.toString(StandardCharsets.UTF_8).contains(MARK)) {
                seconds = (System.nanoTime() - start) / 1e9;
            }
        }
    }

    private static final class CountingSink extends OutputStream {
        long count;
        long firstByte;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (count == 0) {
                firstByte = System.nanoTime();
            }
            count += len;
        }
    }
}
