package org.rigdesk.app.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Whether the desktop prefers dark: GNOME's (and most GTK desktops') {@code color-scheme} setting,
 * else a GTK_THEME ending in ":dark". JavaFX 21 has no platform preference for it.
 */
public final class SystemTheme {

    private SystemTheme() {
    }

    /** The theme to apply for {@code chosen}: itself, or light or dark as the desktop prefers for "system". */
    public static String resolve(String chosen) {
        if (!AppPreferences.SYSTEM.equals(chosen)) {
            return chosen;
        }
        return prefersDark(System.getenv(), gsettingsColorScheme()) ? AppPreferences.DARK : AppPreferences.LIGHT;
    }

    static boolean prefersDark(Map<String, String> env, String colorScheme) {
        if (colorScheme != null && colorScheme.contains("prefer-dark")) {
            return true;
        }
        if (colorScheme != null && colorScheme.contains("prefer-light")) {
            return false;
        }
        String gtk = env.getOrDefault("GTK_THEME", "");
        return gtk.toLowerCase(java.util.Locale.ROOT).endsWith(":dark") || gtk.toLowerCase(java.util.Locale.ROOT)
                .endsWith("-dark");
    }

    /** {@code gsettings get org.gnome.desktop.interface color-scheme}, or null without gsettings. */
    private static String gsettingsColorScheme() {
        try {
            Process process = new ProcessBuilder("gsettings", "get", "org.gnome.desktop.interface", "color-scheme")
                    .redirectErrorStream(true).start();
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            return process.exitValue() == 0
                    ? new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
