package org.rigdesk.app.settings;

import java.util.prefs.Preferences;

/** What the window remembers between runs (java.util.prefs: ~/.java/.userPrefs on Linux). */
public final class AppPreferences {

    public static final String LIGHT = "light";
    public static final String DARK = "dark";
    /** Follow the desktop's light or dark preference (read when the theme is applied). */
    public static final String SYSTEM = "system";

    private final Preferences node;

    public AppPreferences(Preferences node) {
        this.node = node;
    }

    public static AppPreferences user() {
        return new AppPreferences(Preferences.userRoot().node("org/rigdesk/app"));
    }

    /** light, dark or system, as chosen (system is the first-run default: the desktop decides). */
    public String theme() {
        String theme = node.get("theme", SYSTEM);
        return DARK.equals(theme) || LIGHT.equals(theme) ? theme : SYSTEM;
    }

    public void theme(String theme) {
        node.put("theme", DARK.equals(theme) || LIGHT.equals(theme) ? theme : SYSTEM);
    }

    public String page() {
        return node.get("page", "gpus");
    }

    public void page(String page) {
        node.put("page", page);
    }

    public double width() {
        return clamp(node.getDouble("width", 1100), 760, 8000);
    }

    public double height() {
        return clamp(node.getDouble("height", 720), 480, 8000);
    }

    public void size(double width, double height) {
        node.putDouble("width", width);
        node.putDouble("height", height);
    }

    /** Whether notifications of a category ({@link org.rigdesk.app.tray.DesktopAlerts}) are wanted; on by default. */
    public boolean notify(String category) {
        return node.getBoolean("notify." + category, true);
    }

    public void notify(String category, boolean on) {
        node.putBoolean("notify." + category, on);
    }

    /** A GPU at or over this temperature notifies (°C). */
    public double temperatureThreshold() {
        return clamp(node.getDouble("temperatureThreshold", 85), 40, 110);
    }

    public void temperatureThreshold(double celsius) {
        node.putDouble("temperatureThreshold", clamp(celsius, 40, 110));
    }

    /** Start with the window hidden, in the tray (only where a tray exists). */
    public boolean startMinimised() {
        return node.getBoolean("startMinimised", false);
    }

    public void startMinimised(boolean on) {
        node.putBoolean("startMinimised", on);
    }

    private static double clamp(double value, double min, double max) {
        return Double.isNaN(value) ? min : Math.max(min, Math.min(max, value));
    }
}
