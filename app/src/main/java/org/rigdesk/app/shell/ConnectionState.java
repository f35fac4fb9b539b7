package org.rigdesk.app.shell;

/** How the window stands with the daemon. */
public enum ConnectionState {
    CONNECTING("Connecting…"),
    CONNECTED("Connected"),
    RECONNECTING("Reconnecting…"),
    DAEMON_NOT_RUNNING("Daemon not running");

    private final String label;

    ConnectionState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
