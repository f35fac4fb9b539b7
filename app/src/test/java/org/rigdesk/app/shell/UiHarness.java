package org.rigdesk.app.shell;

import java.nio.file.Path;
import javafx.scene.Scene;
import org.testfx.api.FxToolkit;

/** Opens the real window (styled as the app styles it) on a daemon's socket, for TestFX tests. */
public final class UiHarness {

    private UiHarness() {
    }

    public static Shell open(Path socket) throws Exception {
        return open(socket, System.getenv());
    }

    /** With {@code env} as the window's environment (the test's own contexts and ssh). */
    public static Shell open(Path socket, java.util.Map<String, String> env) throws Exception {
        FxToolkit.registerPrimaryStage();
        Shell[] shell = new Shell[1];
        FxToolkit.setupStage(stage -> {
            shell[0] = new Shell(socket, org.rigdesk.app.settings.AppPreferences.user(), env);
            Scene scene = new Scene(shell[0].root(), 1100, 760);
            RigdeskApp.style(scene);
            stage.setScene(scene);
            stage.show();
            shell[0].start();
        });
        return shell[0];
    }

    public static void close(Shell shell) throws Exception {
        FxToolkit.cleanupStages();
        if (shell != null) {
            shell.close();
        }
    }
}
