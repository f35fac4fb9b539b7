package org.rigdesk.app.tray;

/** Desktop notifications: through org.freedesktop.Notifications, AWT's tray balloon, or nowhere. */
public interface Notifier extends AutoCloseable {

    /** "org.freedesktop.Notifications", "AWT tray message" or "none". */
    String kind();

    /** {@code critical}: failures and lost daemons, which stay until dismissed where the server allows. */
    void send(String summary, String body, boolean critical);

    @Override
    default void close() {
    }

    Notifier NONE = new Notifier() {
        @Override
        public String kind() {
            return "none";
        }

        @Override
        public void send(String summary, String body, boolean critical) {
        }
    };
}
