package org.rigdesk.app.shell;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.stage.Stage;

/**
 * {@code rigdesk --smoke PNG}: proves that the window comes up for real. Once the shown window
 * has GPU cards with at least one live reading (a number, not "n/a"), it saves the window as a PNG
 * and quits with 0; when that has not happened within the timeout it says what the window showed
 * instead and quits with 1. Used by {@code ./dev demo --smoke} and the .deb's install test.
 */
public final class SmokeProbe {

    private static volatile Path screenshot;
    private static volatile long timeoutNanos;
    private static volatile int exitCode;

    private SmokeProbe() {
    }

    /** Called before the window starts. */
    public static void arm(Path png, int timeoutSeconds) {
        screenshot = png;
        timeoutNanos = timeoutSeconds * 1_000_000_000L;
    }

    static boolean armed() {
        return screenshot != null;
    }

    /** 0 without a smoke run, or when it passed. */
    public static int exitCode() {
        return exitCode;
    }

    static void attach(Stage stage, Scene scene) {
        if (screenshot == null) {
            return;
        }
        long start = System.nanoTime();
        new AnimationTimer() {
            @Override
            public void handle(long now) {
                Set<Node> cards = scene.getRoot().lookupAll(".gpu-card");
                List<String> readings = readings(scene);
                boolean live = readings.stream().anyMatch(text -> text.matches(".*\\d.*"));
                if (stage.isShowing() && !cards.isEmpty() && live) {
                    stop();
                    finish(Png.of(scene.snapshot(null)), String.format("%d GPU cards with live readings after %.1f s",
                            cards.size(), (now - start) / 1e9));
                } else if (now - start > timeoutNanos) {
                    stop();
                    fail(String.format("the window showed no GPU card with live readings within %d s "
                            + "(window %s, %d GPU cards, readings %s)", timeoutNanos / 1_000_000_000L,
                            stage.isShowing() ? "shown" : "not shown", cards.size(), readings));
                }
            }
        }.start();
    }

    private static List<String> readings(Scene scene) {
        return scene.getRoot().lookupAll(".reading").stream().filter(Labeled.class::isInstance)
                .map(node -> ((Labeled) node).getText()).filter(text -> text != null)
                .collect(Collectors.toList());
    }

    private static void finish(Png png, String what) {
        Path file = screenshot;
        Thread writer = new Thread(() -> {
            try {
                png.write(file);
                System.out.println("rigdesk: smoke: " + what + "; screenshot " + file + " (" + png.width() + "x"
                        + png.height() + ")");
                Platform.runLater(Platform::exit);
            } catch (IOException | RuntimeException e) {
                Platform.runLater(() -> fail("could not save the screenshot " + file + ": " + e.getMessage()));
            }
        }, "smoke-screenshot");
        writer.start();
    }

    private static void fail(String reason) {
        System.err.println("rigdesk: smoke failed: " + reason);
        exitCode = 1;
        Platform.exit();
    }
}
