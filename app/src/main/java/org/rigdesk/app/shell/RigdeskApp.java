package org.rigdesk.app.shell;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import org.rigdesk.app.settings.AppPreferences;
import java.nio.file.Path;
import java.util.Objects;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** The JavaFX application: one window over a {@link Shell}. */
public class RigdeskApp extends Application {

    private static volatile Path socket;
    private static volatile String firstPage;
    private Shell shell;

    public static void launchWith(Path socketPath, String page) {
        socket = socketPath;
        firstPage = page;
        Application.launch(RigdeskApp.class);
    }

    /** Styles a scene the way the app does (tests and screenshots use the same look). */
    public static void style(Scene scene) {
        applyTheme(AppPreferences.user().theme());
        scene.getStylesheets().add(Objects.requireNonNull(RigdeskApp.class.getResource("rigdesk.css")).toExternalForm());
    }

    /** Light or dark AtlantaFX Primer, for every window at once. */
    public static void applyTheme(String theme) {
        Application.setUserAgentStylesheet(AppPreferences.DARK.equals(theme)
                ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
    }

    @Override
    public void start(Stage stage) {
        AppPreferences preferences = AppPreferences.user();
        shell = new Shell(socket, preferences);
        Scene scene = new Scene(shell.root(), preferences.width(), preferences.height());
        style(scene);
        shell.window().show(firstPage != null ? firstPage : preferences.page());
        shell.window().installShortcuts(scene);
        stage.setOnHiding(e -> {
            preferences.size(stage.getWidth(), stage.getHeight());
            preferences.page(shell.window().currentPage());
        });
        stage.setTitle("Rigdesk");
        stage.setMinWidth(760);
        stage.setMinHeight(480);
        stage.setScene(scene);
        stage.show();
        shell.start();
    }

    @Override
    public void stop() {
        if (shell != null) {
            shell.close();
        }
    }
}
