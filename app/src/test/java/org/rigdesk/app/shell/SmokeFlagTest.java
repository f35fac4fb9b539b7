package org.rigdesk.app.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.testkit.DaemonProcess;

/**
 * {@code rigdesk --smoke PNG}, the check that the demo and the installed package run: the real
 * window (GTK under Xvfb, not Monocle) as its own process, JavaFX as modules.
 */
class SmokeFlagTest {

    @TempDir
    Path dir;

    @Test
    void theWindowWithLiveCardsIsSavedAndTheRunPasses() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop").start()) {
            Path png = dir.resolve("shots/window.png");
            Result result = window(true, "--socket", daemon.socket().toString(), "--smoke", png.toString());
            assertEquals(0, result.code, result.output);
            assertTrue(result.output.contains("GPU cards with live readings"), result.output);
            BufferedImage image = ImageIO.read(png.toFile());
            assertTrue(image.getWidth() >= 760 && image.getHeight() >= 480, image.getWidth() + "x" + image.getHeight());
            assertTrue(colours(image) > 16, "a blank screenshot");
            assertFalse(result.output.contains("Unsupported JavaFX configuration"), result.output);
        }
    }

    /** Started from a plain class path (as {@code java -jar}), the window re-launches with JavaFX as modules. */
    @Test
    void withoutADaemonTheRunFailsSayingWhatTheWindowShowed() throws Exception {
        Path png = dir.resolve("window.png");
        Result result = window(false, "--socket", dir.resolve("no-daemon.sock").toString(), "--smoke", png.toString(),
                "--smoke-timeout", "3");
        assertEquals(1, result.code, result.output);
        assertTrue(result.output.contains("no GPU card with live readings within 3 s (window shown, 0 GPU cards"),
                result.output);
        assertFalse(Files.exists(png));
        assertFalse(result.output.contains("Unsupported JavaFX configuration"), result.output);
    }

    @Test
    void aTimeoutBelowOneSecondIsRefused() throws Exception {
        Result result = window(true, "--smoke", dir.resolve("w.png").toString(), "--smoke-timeout", "0");
        assertEquals(2, result.code, result.output);
        assertTrue(result.output.contains("--smoke-timeout must be at least 1 second, got 0"), result.output);
    }

    private record Result(int code, String output) {
    }

    private Result window(boolean modulePath, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("xvfb-run", "-a", "-s", "-screen 0 1280x800x24",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Drigdesk.noAwtTray=true",
                "-Djava.util.prefs.userRoot=" + dir.resolve("prefs")));
        if (modulePath) {
            command.addAll(List.of("--module-path", System.getProperty("jdk.module.path"),
                    "--add-modules", "javafx.controls"));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.rigdesk.app.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("DBUS_SESSION_BUS_ADDRESS");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the window did not quit");
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static long colours(BufferedImage image) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                seen.add(image.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
