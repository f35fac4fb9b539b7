package org.rigdesk.app.shell;

import atlantafx.base.theme.PrimerLight;
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
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        scene.getStylesheets().add(Objects.requireNonNull(RigdeskApp.class.getResource("rigdesk.css")).toExternalForm());
    }

    @Override
    public void start(Stage stage) {
        shell = new Shell(socket);
        Scene scene = new Scene(shell.root(), 1100, 720);
        style(scene);
        stage.setTitle("Rigdesk");
        stage.setMinWidth(760);
        stage.setMinHeight(480);
        stage.setScene(scene);
        if (firstPage != null) {
            shell.window().show(firstPage);
        }
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
