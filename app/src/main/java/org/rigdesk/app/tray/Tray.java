package org.rigdesk.app.tray;

/** A tray icon with a menu, whichever protocol the desktop speaks. */
public interface Tray extends AutoCloseable {

    /** "StatusNotifierItem", "AWT SystemTray" or "none": the Settings page says which. */
    String kind();

    void show(TrayState state);

    @Override
    void close();

    /** Where no tray protocol is available: the app still runs, and says so. */
    Tray NONE = new Tray() {
        @Override
        public String kind() {
            return "none";
        }

        @Override
        public void show(TrayState state) {
        }

        @Override
        public void close() {
        }
    };
}
