package org.rigdesk.app.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.Job;
import org.rigdesk.testkit.BenchReport;
import org.rigdesk.testkit.DaemonProcess;

/**
 * The window's figures: launch to the first frame with GPU cards, memory after ten minutes' worth
 * of samples from eight GPUs, and a 1,000,000-line log arriving at 100,000 lines/s.
 */
@Tag("bench")
class AppBench {

    private static final Pattern FIRST = Pattern.compile("rigdesk-bench first-frame-ms=(\\d+)");
    /** What packaging/deb/build-deb.sh gives the rigdesk launcher; -Drigdesk.bench.appFlags tries others. */
    static final String SHIPPED_FLAGS;

    static {
        try {
            SHIPPED_FLAGS = Files.readString(Path.of(System.getProperty("rigdesk.repo"), "packaging/deb/rigdesk.jvmflags"))
                    .strip();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final Pattern FLOOD = Pattern.compile("log-last-shown-epoch-ms=(\\d+) frames=(\\d+) dropped=(\\d+) "
            + "peak-heap-mib=(\\d+) heap-after-gc-mib=(\\d+) lines=(\\d+)");
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
            Map<Long, String> phases = new java.util.HashMap<>();
            long[] memory = new long[6];
            for (int run = 0; run < 3; run++) {
                boolean last = run == 2;
                List<String> out = launch(daemon.socket(), last ? 60 : 1);
                StringBuilder trace = new StringBuilder();
                for (String line : out) {
                    Matcher first = FIRST.matcher(line);
                    if (first.find()) {
                        firstFrames.add(Long.parseLong(first.group(1)));
                        phases.put(Long.parseLong(first.group(1)), trace.append("first frame ").append(first.group(1))
                                .toString());
                    } else if (line.startsWith("rigdesk-trace ")) {
                        trace.append(line.substring("rigdesk-trace ".length())).append(", ");
                    }
                }
                if (last) {
                    List<long[]> readings = out.stream().map(MEMORY::matcher).filter(Matcher::find)
                            .map(m -> new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))}).toList();
                    if (readings.size() != 3) {
                        throw new AssertionError("the app printed no memory figures: " + out);
                    }
                    memory = new long[] {readings.get(0)[0], readings.get(0)[1], readings.get(1)[0], readings.get(1)[1],
                            readings.get(2)[0], readings.get(2)[1]};
                }
            }
            firstFrames.sort(Long::compare);
            BenchReport.row("app: launch to first frame with GPU cards", Long.toString(firstFrames.get(1)), "ms",
                    "median of 3, JVM start included, Xvfb + GTK, " + firstFrames);
            BenchReport.row("app: the start's phases (the median run)", Long.toString(firstFrames.get(1)), "ms",
                    "ms since the JVM started: " + phases.get(firstFrames.get(1)));
            BenchReport.row("app: memory after 10 min of 8 GPUs at 1 s", memory[2] + " / " + memory[3], "MiB heap / RSS",
                    "after a GC; at first frame " + memory[0] + " / " + memory[1] + " (6,000 samples per card, 10x rate)");
            BenchReport.row("app: memory with only the tray icon", memory[4] + " / " + memory[5], "MiB heap / RSS",
                    "10 s after the window closed to the tray, after a GC, following the same 8 GPUs");
        }
    }

    /** The app in a JVM of its own under Xvfb (GTK, as on a desktop), with the launcher's flags. */
    private Process start(Path socket, String page, String... properties) throws IOException {
        List<String> command = new ArrayList<>(List.of("xvfb-run", "-a", "-s", "-screen 0 1280x800x24",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        java.util.Arrays.stream(System.getProperty("rigdesk.bench.appFlags", SHIPPED_FLAGS).split(" +"))
                .filter(flag -> !flag.isEmpty()).forEach(command::add);
        command.addAll(List.of(properties));
        // JavaFX as modules from the module path this test runs with (target/javafx), as the package runs it.
        // Its own preferences: a run must not change the owner's window (nor read its size and page).
        command.addAll(List.of("-Djava.util.prefs.userRoot=" + dir.resolve("prefs"), "-Drigdesk.noAwtTray=true",
                "-Dprism.order=sw",
                "--module-path", System.getProperty("jdk.module.path"), "--add-modules", "javafx.controls",
                "-cp", System.getProperty("java.class.path"), "org.rigdesk.app.Main", "--socket", socket.toString(), "--page", page));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("DBUS_SESSION_BUS_ADDRESS");
        return builder.start();
    }

    private List<String> launch(Path socket, int seconds) throws Exception {
        Process app = start(socket, "gpus", "-Drigdesk.bench.seconds=" + seconds, "-Drigdesk.bench.trace=true",
                "-Drigdesk.bench.tray=" + (seconds > 1));
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
     * {@code 0001234 epoch 3 step 234 loss=2.2660 lr=3.0e-4 tokens/s=18234}, built by hand: with
     * String.format the writer took more of this machine's two cores than the window did.
     */
    static void trainingLine(StringBuilder text, int number, int step) {
        String digits = Integer.toString(number);
        text.append("0000000", 0, Math.max(0, 7 - digits.length())).append(digits).append(" epoch 3 step ").append(step);
        int loss = 25_000 - step * 10; // in ten-thousandths
        String fraction = Integer.toString(loss % 10_000);
        text.append(" loss=").append(loss / 10_000).append('.').append("0000", 0, 4 - fraction.length()).append(fraction)
                .append(" lr=3.0e-4 tokens/s=18234\n");
    }

    /**
     * A running job whose console gets 1,000,000 lines at 100,000 lines/s, written straight into
     * its log file (a TCG guest cannot pace its output that finely); the app, in its own JVM under
     * Xvfb with the launcher's flags, follows it through the daemon's HTTP stream and counts its
     * frames (LogFloodProbe). "Last line shown" is from the last write to the frame that shows it.
     */
    @Test
    void aMillionLinesAtAHundredThousandPerSecond() throws Exception {
        DaemonProcess.requireTestImage();
        try (DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop").start();
             DaemonClient client = daemon.client()) {
            Job job = client.send("POST", "/v1/jobs", Map.of("name", "log flood", "script", "sleep 600", "cpus", 1,
                    "memoryMiB", 256), Job.class);
            Path log = daemon.stateDir().resolve("jobs").resolve(Long.toString(job.id())).resolve("console.log");
            org.rigdesk.testkit.Await.until(() -> Files.exists(log), 60);
            Process app = start(daemon.socket(), "jobs", "-Drigdesk.bench.logJob=" + job.id(), "-Drigdesk.bench.logLast=0999999");
            BlockingQueue<String> said = new LinkedBlockingQueue<>();
            List<String> everything = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        everything.add(line);
                        if (line.startsWith("rigdesk-bench")) {
                            said.add(line);
                        }
                    }
                } catch (java.io.IOException e) {
                    // the app quit
                }
            });
            reader.setDaemon(true);
            reader.start();
            try {
                String following = said.poll(120, TimeUnit.SECONDS);
                if (!"rigdesk-bench log-following".equals(following)) {
                    throw new AssertionError("the app did not follow the job's log: " + everything);
                }
                Thread.sleep(1000);
                long start = System.nanoTime();
                long lastWritten;
                try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
                    for (int batch = 0; batch < 1000; batch++) {
                        StringBuilder text = new StringBuilder(1000 * 80);
                        for (int i = 0; i < 1000; i++) {
                            trainingLine(text, batch * 1000 + i, i);
                        }
                        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        long due = start + (batch + 1) * 10_000_000L; // 1,000 lines per 10 ms
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                    }
                    lastWritten = System.currentTimeMillis();
                }
                double writeSeconds = (System.nanoTime() - start) / 1e9;
                String result = said.poll(60, TimeUnit.SECONDS);
                Matcher figures = result == null ? null : FLOOD.matcher(result);
                if (figures == null || !figures.find()) {
                    throw new AssertionError("the app never showed the last line: " + everything);
                }
                long frames = Long.parseLong(figures.group(2));
                long dropped = Long.parseLong(figures.group(3));
                BenchReport.row("app: 1,000,000 log lines at 100,000 lines/s", Long.toString(
                        Long.parseLong(figures.group(1)) - lastWritten), "ms to the last line",
                        String.format("from the last write; %d frames drawn, %d dropped (%.1f %% drawn); written in "
                                + "%.1f s; %s lines kept; Xvfb + GTK, launcher's flags", frames, dropped,
                                100.0 * frames / (frames + dropped), writeSeconds, figures.group(6)));
                BenchReport.row("app: heap while the log floods", figures.group(4) + " / " + figures.group(5),
                        "MiB peak / after GC", "the app's JVM, sampled every frame; after a GC once the last line showed");
            } finally {
                if (!app.waitFor(15, TimeUnit.SECONDS)) { // it quits once it has printed its figures
                    app.descendants().forEach(ProcessHandle::destroy); // xvfb-run's java and Xvfb
                    app.destroy();
                }
                if (!app.waitFor(20, TimeUnit.SECONDS)) {
                    app.destroyForcibly();
                }
                client.send("POST", "/v1/jobs/" + job.id() + "/cancel", null, Job.class);
            }
        }
    }
}
