package org.rigdesk.app.connection;

/** How the window stands with the daemon; its words are {@link org.rigdesk.app.status.Vocabulary#connection}. */
public enum ConnectionState {
    CONNECTING,
    CONNECTED,
    RECONNECTING,
    DAEMON_NOT_RUNNING
}
