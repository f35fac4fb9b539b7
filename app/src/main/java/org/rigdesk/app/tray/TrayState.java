package org.rigdesk.app.tray;

import java.util.List;

/**
 * What the tray shows: a status at a glance, a tooltip, and the menu. Actions are plain keys
 * ({@code open}, {@code job:ID}, {@code pause}, {@code resume}, {@code quit}) that the app maps to
 * what they do, so every tray implementation offers the same menu.
 */
public record TrayState(Status status, String title, String tooltip, List<MenuItem> menu) {

    public enum Status {
        /** Connected, nothing running. */
        IDLE,
        /** Jobs run. */
        BUSY,
        /** A refusal, a failed job, or the daemon lost: look at the window. */
        ATTENTION
    }

    /** One menu entry; a {@code null} action is a separator or a disabled caption. */
    public record MenuItem(String label, String action, boolean enabled) {

        public static MenuItem separator() {
            return new MenuItem("", null, false);
        }

        public boolean isSeparator() {
            return label.isEmpty() && action == null;
        }
    }

    public TrayState {
        menu = List.copyOf(menu);
    }
}
