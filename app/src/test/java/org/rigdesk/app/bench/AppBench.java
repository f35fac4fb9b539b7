package org.rigdesk.app.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.Job;
import org.rigdesk.app.shell.Shell;
import org.rigdesk.app.shell.UiHarness;
import org.rigdesk.daemon.testing.BenchReport;
import org.rigdesk.daemon.testing.DaemonProcess;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The window's figures: launch to the first frame with GPU cards, memory after ten minutes' worth
 * of samples from eight GPUs, and a 1,000,000-line log arriving at 100,000 lines/s.
 */
@Tag("bench")
class AppBench {

    private static final Pattern FIRST = Pattern.compile("rigdesk-bench first-frame-ms=(\\d+)");
    /** What packaging/deb/build-deb.sh gives the rigdesk launcher; -Drigdesk.bench.appFlags tries others. */
    static final String SHIPPED_FLAGS = "-XX:+UseSerialGC -Xss512k";

    private static final Pattern MEMORY = Pattern.compile("rigdesk-bench heap-used-mib=(\\d+) rss-mib=(-?\\d+)");

    @TempDir
    Path dir;

    /** A separate JVM under Xvfb (GTK, as on a desktop), against the eight-GPU lab rig. */
    @Test
    void launchToFirstFrameAndMemoryAfterTenMinutesOfEightGpus() throws Exception {
        // Samples every 100 ms: ten times the real rate, so 60 s here is 10 minutes of 8 GPUs at 1 s.
        try (DaemonProcess daemon = new DaemonProcess(dir).simulate("lab").withArgs("--sample-interval", "100")
                .start()) {
            List<Long> firstFrames = new ArrayList<>();
            long[] memory = new long[4];
            for (int run = 0; run < 3; run++) {
                boolean last = run == 2;
                List<String> out = launch(daemon.socket(), last ? 60 : 1);
                for (String line : out) {
                    Matcher first = FIRST.matcher(line);
                    if (first.find()) {
                        firstFrames.add(Long.parseLong(first.group(1)));
                    }
                }
                if (last) {
                    List<long[]> readings = out.stream().map(MEMORY::matcher).filter(Matcher::find)
                            .map(m -> new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))}).toList();
                    if (readings.size() != 2) {
                        throw new AssertionError("the app printed no memory figures: " + out);
                    }
                    memory = new long[] {readings.get(0)[0], readings.get(0)[1], readings.get(1)[0], readings.get(1)[1]};
                }
            }
            firstFrames.sort(Long::compare);
            BenchReport.row("app: launch to first frame with GPU cards", Long.toString(firstFrames.get(1)), "ms",
                    "median of 3, JVM start included, Xvfb + GTK, " + firstFrames);
            BenchReport.row("app: memory after 10 min of 8 GPUs at 1 s", memory[2] + " / " + memory[3], "MiB heap / RSS",
                    "after a GC; at first frame " + memory[0] + " / " + memory[1] + " (6,000 samples per card, 10x rate)");
        }
    }

    private List<String> launch(Path socket, int seconds) throws Exception {
        List<String> command = new ArrayList<>(List.of("xvfb-run", "-a", "-s", "-screen 0 1280x800x24",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        java.util.Arrays.stream(System.getProperty("rigdesk.bench.appFlags", SHIPPED_FLAGS).split(" +"))
                .filter(flag -> !flag.isEmpty()).forEach(command::add);
        // JavaFX as modules from the module path this test runs with (target/javafx), as the package runs it.
        command.addAll(List.of("-Drigdesk.bench.seconds=" + seconds, "-Drigdesk.noAwtTray=true", "-Dprism.order=sw",
                "--module-path", System.getProperty("jdk.module.path"), "--add-modules", "javafx.controls",
                "-cp", System.getProperty("java.class.path"), "org.rigdesk.app.Main", "--socket", socket.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("DBUS_SESSION_BUS_ADDRESS");
        Process app = builder.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(app.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
            }
        }
        if (!app.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            app.destroyForcibly();
            throw new AssertionError("the app did not quit: " + lines);
        }
        return lines;
    }

    /**
     * A running job whose console gets 1,000,000 lines at 100,000 lines/s, written straight into
     * its log file (a TCG guest's serial port cannot go that fast): the window follows it through
     * the daemon's HTTP stream. Frames are counted on the FX pulse; a gap over two frame times is
     * a dropped frame.
     */
    @Test
    void aMillionLinesAtAHundredThousandPerSecond() throws Exception {
        DaemonProcess.requireTestImage();
        try (DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop").start();
             DaemonClient client = daemon.client()) {
            Job job = client.send("POST", "/v1/jobs", Map.of("name", "log flood", "script", "sleep 600", "cpus", 1,
                    "memoryMiB", 256), Job.class);
            Path log = daemon.stateDir().resolve("jobs").resolve(Long.toString(job.id())).resolve("console.log");
            Shell shell = UiHarness.open(daemon.socket());
            try {
                WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> Files.exists(log)
                        && shell.jobs().all().stream().anyMatch(j -> j.id() == job.id()));
                Platform.runLater(() -> {
                    shell.window().show("jobs");
                    shell.jobs().all().stream().filter(j -> j.id() == job.id()).findFirst()
                            .ifPresent(j -> shell.jobs().selectedProperty().set(j));
                });
                Thread.sleep(2000);
                MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
                AtomicLong frames = new AtomicLong();
                AtomicLong dropped = new AtomicLong();
                AtomicLong peak = new AtomicLong();
                AnimationTimer counter = new AnimationTimer() {
                    private long previous;

                    @Override
                    public void handle(long now) {
                        if (previous != 0 && now - previous > 2 * 16_666_667L) {
                            dropped.addAndGet((now - previous) / 16_666_667L - 1);
                        }
                        previous = now;
                        frames.incrementAndGet();
                        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    }
                };
                Platform.runLater(counter::start);
                long start = System.nanoTime();
                try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
                    for (int batch = 0; batch < 1000; batch++) {
                        StringBuilder text = new StringBuilder(1000 * 80);
                        for (int i = 0; i < 1000; i++) {
                            text.append(String.format("%07d epoch 3 step %d loss=%.4f lr=3.0e-4 tokens/s=18234%n",
                                    batch * 1000 + i, i, 2.5 - i / 1000.0));
                        }
                        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        long due = start + (batch + 1) * 10_000_000L; // 1,000 lines per 10 ms
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                    }
                }
                double writeSeconds = (System.nanoTime() - start) / 1e9;
                try {
                    // The lines change on the FX thread: read them there.
                    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> {
                        List<String> shown = shell.jobs().log().lines();
                        return shown.size() >= org.rigdesk.app.jobs.LogViewModel.MAX_LINES
                                && shown.get(shown.size() - 1).startsWith("0999999");
                    }).get());
                } catch (java.util.concurrent.TimeoutException e) {
                    List<String> shown = WaitForAsyncUtils.asyncFx(() -> List.copyOf(shell.jobs().log().lines())).get();
                    throw new AssertionError("the log view has " + shown.size() + " lines, the last "
                            + (shown.isEmpty() ? "none" : shown.get(shown.size() - 1)) + "; status "
                            + shell.jobs().log().statusProperty().get() + "; file " + Files.size(log), e);
                }
                double shownSeconds = (System.nanoTime() - start) / 1e9;
                Platform.runLater(counter::stop);
                BenchReport.row("app: 1,000,000 log lines at 100,000 lines/s", Long.toString(dropped.get()),
                        "frames dropped", String.format("%d frames in %.1f s; written in %.1f s, last line shown at "
                                + "%.1f s; the view keeps the last %,d lines", frames.get(), shownSeconds, writeSeconds,
                                shownSeconds, org.rigdesk.app.jobs.LogViewModel.MAX_LINES));
                BenchReport.row("app: peak heap while the log floods", Long.toString(peak.get() >> 20), "MiB",
                        "whole test JVM (TestFX, Monocle), sampled every frame");
            } finally {
                client.send("POST", "/v1/jobs/" + job.id() + "/cancel", null, Job.class);
                UiHarness.close(shell);
            }
        }
    }
}
