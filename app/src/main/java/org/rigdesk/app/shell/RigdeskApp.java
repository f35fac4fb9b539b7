package org.rigdesk.app.shell;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import org.rigdesk.app.settings.AppPreferences;
import java.nio.file.Path;
import java.util.Objects;
import javafx.application.Application;
import javafx.application.Platform;
import org.rigdesk.app.tray.Tray;
import org.rigdesk.app.tray.Trays;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** The JavaFX application: one window over a {@link Shell}. */
public class RigdeskApp extends Application {

    private static volatile Path socket;
    private static volatile String firstPage;
    private static volatile String firstRig;
    private Shell shell;
    private Trays.Desktop desktop;

    /** {@code rig}: the context whose rig the pages show first (null: this machine's). */
    public static void launchWith(Path socketPath, String page, String rig) {
        socket = socketPath;
        firstPage = page;
        firstRig = rig;
        org.rigdesk.app.StartTrace.mark("launching");
        warmClient(socketPath);
        Application.launch(RigdeskApp.class);
    }

    /**
     * Loads the daemon client's classes (OkHttp, Jackson, the wire types) with one call while the
     * toolkit starts: after the window was up, they took the first call a second on two cores.
     */
    private static void warmClient(Path socketPath) {
        Thread warm = new Thread(() -> {
            try (org.rigdesk.api.client.DaemonClient client = new org.rigdesk.api.client.DaemonClient(socketPath)) {
                client.gpus();
            } catch (java.io.IOException | RuntimeException e) {
                // the window says so when it connects
            }
        }, "warm-client");
        warm.setDaemon(true);
        warm.start();
    }

    /** Styles a scene the way the app does (tests and screenshots use the same look). */
    public static void style(Scene scene) {
        applyTheme(AppPreferences.user().theme());
        scene.getStylesheets().add(Objects.requireNonNull(RigdeskApp.class.getResource("rigdesk.css")).toExternalForm());
        markTheme(scene, darkTheme);
    }

    /** Light or dark AtlantaFX Primer, for every window at once. */
    public static void applyTheme(String theme) {
        boolean dark = AppPreferences.DARK.equals(org.rigdesk.app.settings.SystemTheme.resolve(theme));
        Application.setUserAgentStylesheet(dark
                ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
        // Primer dark paints cards and page alike: rigdesk.css lifts the cards on a "theme-dark" root.
        for (javafx.stage.Window window : javafx.stage.Window.getWindows()) {
            if (window.getScene() != null) {
                markTheme(window.getScene(), dark);
            }
        }
        darkTheme = dark;
    }

    private static boolean darkTheme;

    private static void markTheme(Scene scene, boolean dark) {
        scene.getRoot().getStyleClass().remove("theme-dark");
        if (dark) {
            scene.getRoot().getStyleClass().add("theme-dark");
        }
    }

    @Override
    public void start(Stage stage) {
        org.rigdesk.app.StartTrace.mark("toolkit-up");
        AppPreferences preferences = AppPreferences.user();
        shell = new Shell(socket, preferences);
        Scene scene = new Scene(shell.root(), preferences.width(), preferences.height());
        style(scene);
        shell.window().show(firstPage != null ? firstPage : preferences.page());
        if (firstRig != null) {
            shell.window().chooseRig(firstRig);
        }
        shell.window().installShortcuts(scene);
        org.rigdesk.app.StartTrace.mark("window-built");
        BenchProbe.attach(scene);
        LogFloodProbe.attach(shell);
        SmokeProbe.attach(stage, scene);
        stage.setOnHiding(e -> {
            preferences.size(stage.getWidth(), stage.getHeight());
            preferences.page(shell.window().currentPage());
        });
        stage.setOnHidden(e -> {
            if (!Platform.isImplicitExit()) {
                shell.windowClosed(); // to the tray
            }
        });
        stage.setOnShown(e -> shell.windowShown());
        // Another rig's pages say whose they are in the title too.
        stage.titleProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            String rig = shell.window().rigProperty().getValue();
            return rig == null || org.rigdesk.app.contexts.RigContext.LOCAL.equals(rig) ? "Rigdesk" : "Rigdesk — " + rig;
        }, shell.window().rigProperty()));
        stage.setMinWidth(760);
        stage.setMinHeight(480);
        stage.setScene(scene);
        desktop = Trays.open(System.getenv("DBUS_SESSION_BUS_ADDRESS"), !Boolean.getBoolean("rigdesk.noAwtTray"),
                action -> Platform.runLater(() -> act(action, stage)));
        TrayController tray = shell.attach(desktop.tray(), desktop.notifier());
        boolean inTray = desktop.tray() != Tray.NONE;
        // With a tray, closing the window keeps Rigdesk watching from there; without one it quits.
        Platform.setImplicitExit(!inTray);
        stage.focusedProperty().addListener((obs, old, focused) -> {
            if (focused) {
                tray.seen();
            }
        });
        if (!(inTray && preferences.startMinimised()) || SmokeProbe.armed()) {
            stage.show();
        }
        org.rigdesk.app.StartTrace.mark("shown");
        shell.start();
    }

    /** What a tray menu entry does. */
    private void act(String action, Stage stage) {
        switch (action) {
            case "open" -> {
                stage.show();
                stage.toFront();
            }
            case "fleet" -> {
                stage.show();
                stage.toFront();
                shell.window().show("fleet");
            }
            case "pause" -> shell.runner().setPaused(true);
            case "resume" -> shell.runner().setPaused(false);
            case "quit" -> Platform.exit();
            default -> {
                if (action.startsWith("lend:") || action.startsWith("reclaim:") || action.startsWith("gpu:")) {
                    String bdf = action.substring(action.indexOf(':') + 1);
                    shell.gpus().cards().stream().filter(card -> card.bdf().equals(bdf)).findFirst().ifPresent(card -> {
                        if (action.startsWith("lend:")) {
                            card.lend(org.rigdesk.api.wire.GpuLending.CI);
                        } else if (action.startsWith("reclaim:")) {
                            card.reclaim();
                        } else {
                            stage.show();
                            stage.toFront();
                            shell.window().show("gpus");
                        }
                    });
                } else if (action.startsWith("job:")) {
                    long id = Long.parseLong(action.substring(4));
                    stage.show();
                    stage.toFront();
                    shell.window().show("jobs");
                    shell.jobs().all().stream().filter(job -> job.id() == id).findFirst()
                            .ifPresent(job -> shell.jobs().selectedProperty().set(job));
                }
            }
        }
    }

    @Override
    public void stop() {
        if (desktop != null) {
            desktop.close();
        }
        if (shell != null) {
            shell.close();
        }
    }
}
