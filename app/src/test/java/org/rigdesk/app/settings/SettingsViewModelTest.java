package org.rigdesk.app.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.Settings;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;

/** Settings against a real daemon (it validates), and the window's theme choice remembered. */
class SettingsViewModelTest {

    @TempDir
    Path dir;

    @Test
    void savesWhatTheDaemonAcceptsAndSaysWhyItRefuses() throws Exception {
        ExecutorService background = Executors.newSingleThreadExecutor();
        Preferences node = Preferences.userRoot().node("org/rigdesk/test-" + System.nanoTime());
        List<String> themes = new ArrayList<>();
        try (DaemonProcess daemon = new DaemonProcess(dir).start(); DaemonClient client = daemon.client()) {
            SettingsViewModel model = new SettingsViewModel(client, background, Runnable::run,
                    new AppPreferences(node), themes::add);
            model.reload();
            Await.until(() -> model.historyDaysProperty().get() == 30, 10);
            model.sampleIntervalMsProperty().set(250); // applied as it changes: no save() asked for
            Await.until(() -> "Saved.".equals(model.messageProperty().get()), 10);
            assertEquals(250, client.get("/v1/settings", Settings.class).sampleIntervalMs());

            model.historyDaysProperty().set(5000);
            Await.until(() -> model.messageProperty().get().startsWith("Not saved"), 10);
            assertTrue(model.messageProperty().get().contains("historyDays"), model.messageProperty().get());
            assertEquals(30, client.get("/v1/settings", Settings.class).historyDays(), "nothing changed");
            Await.until(() -> model.historyDaysProperty().get() == 30, 10); // the page shows what the daemon kept

            model.networkAllowProperty().set("192.168.1.20:3142\n\n  10.0.0.0/24:443 \n");
            model.save();
            Await.until(() -> "Saved.".equals(model.messageProperty().get()), 10);
            assertEquals(List.of("192.168.1.20:3142", "10.0.0.0/24:443"),
                    client.get("/v1/settings", Settings.class).networkAllow());
            model.networkAllowProperty().set("192.168.1.20");
            model.save();
            Await.until(() -> model.messageProperty().get().startsWith("Not saved"), 10);
            assertTrue(model.messageProperty().get().contains("needs a port"), model.messageProperty().get());
            assertEquals(2, client.get("/v1/settings", Settings.class).networkAllow().size(), "nothing changed");

            assertEquals(AppPreferences.SYSTEM, new AppPreferences(node).theme(), "the desktop decides on first run");
            model.themeProperty().set(AppPreferences.DARK);
            assertEquals(List.of(AppPreferences.DARK), themes);
            assertEquals(AppPreferences.DARK, new AppPreferences(node).theme(), "remembered");
        } finally {
            background.shutdownNow();
            node.removeNode();
        }
    }

    @Test
    void followingTheSystemReadsTheDesktopsColourScheme() {
        assertTrue(SystemTheme.prefersDark(java.util.Map.of(), "'prefer-dark'"));
        assertFalse(SystemTheme.prefersDark(java.util.Map.of("GTK_THEME", "Adwaita:dark"), "'prefer-light'"),
                "the desktop's own setting wins");
        assertTrue(SystemTheme.prefersDark(java.util.Map.of("GTK_THEME", "Adwaita:dark"), null));
        assertFalse(SystemTheme.prefersDark(java.util.Map.of(), "'default'"));
        assertEquals(AppPreferences.DARK, SystemTheme.resolve(AppPreferences.DARK), "a chosen theme is kept");
    }
}
