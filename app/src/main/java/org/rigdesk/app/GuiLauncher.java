package org.rigdesk.app;

import java.nio.file.Path;
import org.rigdesk.app.shell.RigdeskApp;

/** Starts the JavaFX window; kept apart so the CLI never loads JavaFX classes. */
public final class GuiLauncher {

    private GuiLauncher() {
    }

    public static int launch(Path socket, String page) {
        RigdeskApp.launchWith(socket, page);
        return 0;
    }
}
