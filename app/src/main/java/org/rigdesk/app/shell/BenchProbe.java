package org.rigdesk.app.shell;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;

/**
 * For the app benchmark only ({@code -Drigdesk.bench.seconds=N}): prints when the first frame
 * showing GPU cards is drawn (ms since the JVM started), then after N seconds the heap in use
 * after a GC and the process's RSS; with {@code -Drigdesk.bench.tray=true} it then closes the
 * window as the owner does with a tray (the app keeps running), and prints them again 10 s later.
 * Quits at the end. Off unless the property is set.
 */
final class BenchProbe {

    private BenchProbe() {
    }

    static void attach(Scene scene) {
        long seconds = Long.getLong("rigdesk.bench.seconds", -1);
        if (seconds < 0) {
            return;
        }
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        new AnimationTimer() {
            @Override
            public void handle(long now) {
                if (!scene.getRoot().lookupAll(".gpu-card").isEmpty()) {
                    stop();
                    System.out.println("rigdesk-bench first-frame-ms=" + (System.currentTimeMillis() - jvmStart));
                    System.out.println("rigdesk-bench " + memory());
                    Thread quit = new Thread(() -> {
                        try {
                            Thread.sleep(seconds * 1000);
                        } catch (InterruptedException e) {
                            return;
                        }
                        System.out.println("rigdesk-bench " + memory());
                        if (Boolean.getBoolean("rigdesk.bench.tray")) {
                            Platform.setImplicitExit(false);
                            Platform.runLater(() -> scene.getWindow().hide());
                            try {
                                Thread.sleep(10_000);
                            } catch (InterruptedException e) {
                                return;
                            }
                            System.out.println("rigdesk-bench " + memory() + " tray-only");
                        }
                        Platform.exit();
                    }, "bench-probe");
                    quit.setDaemon(true);
                    quit.start();
                }
            }
        }.start();
    }

    private static String memory() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        long heap = (runtime.totalMemory() - runtime.freeMemory()) >> 20;
        long rss = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // RSS unknown
        }
        return "heap-used-mib=" + heap + " rss-mib=" + rss;
    }
}
