package org.rigdesk.app;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rigdesk.app.shell.RigdeskApp;
import org.rigdesk.app.shell.SmokeProbe;

/**
 * Starts the JavaFX window; kept apart so the CLI never loads JavaFX classes.
 *
 * <p>JavaFX runs only as named modules (JavaFX warns "Unsupported JavaFX configuration" from the
 * class path, and its natives then come from a cache in the user's home). The package's runtime
 * links them in; a build has them in {@code target/javafx}, beside {@code rigdesk.jar} or
 * {@code target/classes}: started from a plain {@code java -jar}, the window re-launches itself
 * with that module path.
 */
public final class GuiLauncher {

    /** Overrides where the JavaFX module jars are looked for. */
    static final String JAVAFX_PATH_PROPERTY = "rigdesk.javafx.path";

    private GuiLauncher() {
    }

    /** The window options the command line gave, so a re-launch passes them on. */
    public record Options(Path socket, String page, Path smokeScreenshot, int smokeTimeoutSeconds, String rig) {
    }

    public static int launch(Options options) {
        if (ModuleLayer.boot().findModule("javafx.graphics").isPresent()) {
            String page = options.page();
            if (options.smokeScreenshot() != null) {
                SmokeProbe.arm(options.smokeScreenshot(), options.smokeTimeoutSeconds());
                page = page == null ? "gpus" : page; // the cards it waits for
            }
            RigdeskApp.launchWith(options.socket(), page, options.rig());
            return SmokeProbe.exitCode();
        }
        Path modules = javafxModules();
        if (modules == null) {
            System.err.println("rigdesk: JavaFX is not in this runtime, and no JavaFX module jars were found "
                    + "beside the application (target/javafx).");
            System.err.println("rigdesk: what to do: run ./dev build, or start java with "
                    + "--module-path JAVAFX_JARS --add-modules javafx.controls");
            return 1;
        }
        return relaunch(modules, options);
    }

    private static Path javafxModules() {
        String configured = System.getProperty(JAVAFX_PATH_PROPERTY);
        if (configured != null) {
            return Files.isDirectory(Path.of(configured)) ? Path.of(configured) : null;
        }
        try {
            Path source = Path.of(GuiLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path beside = source.toAbsolutePath().getParent().resolve("javafx");
            return Files.isDirectory(beside) ? beside : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** The same JVM flags and class path, with JavaFX as modules; the child's exit is ours. */
    private static int relaunch(Path modules, Options options) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("--module-path", modules.toString(), "--add-modules", "javafx.controls",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--socket", options.socket().toString()));
        if (options.page() != null) {
            command.addAll(List.of("--page", options.page()));
        }
        if (options.rig() != null) {
            command.addAll(List.of("--rig", options.rig()));
        }
        if (options.smokeScreenshot() != null) {
            command.addAll(List.of("--smoke", options.smokeScreenshot().toString(),
                    "--smoke-timeout", Integer.toString(options.smokeTimeoutSeconds())));
        }
        try {
            Process window = new ProcessBuilder(command).inheritIO().start();
            // A signal to this JVM ends the window with it.
            Thread stop = new Thread(window::destroy, "stop-window");
            Runtime.getRuntime().addShutdownHook(stop);
            int code = window.waitFor();
            Runtime.getRuntime().removeShutdownHook(stop);
            return code;
        } catch (Exception e) {
            System.err.println("rigdesk: could not start the window: " + e.getMessage());
            return 1;
        }
    }
}
