package org.rigdesk.api.client;

import java.io.IOException;
import java.nio.file.Path;

/** Nobody answered on the socket: the daemon is not running, or we may not connect to it. */
public class DaemonUnreachableException extends IOException {

    private final Path socket;

    public DaemonUnreachableException(Path socket, IOException cause) {
        super("rigdeskd is not answering on " + socket + " (" + describe(cause) + ")", cause);
        this.socket = socket;
    }

    /** For a daemon reached another way (a remote rig over ssh): the message says how it failed. */
    protected DaemonUnreachableException(String message, Path socket, Throwable cause) {
        super(message, cause);
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }

    /** What the user can do about it. */
    public String remedy() {
        return "Start the daemon: 'sudo systemctl start rigdeskd' (installed) or './dev demo' (from a checkout); "
                + "or point Rigdesk at its socket with --socket PATH or RIGDESK_SOCKET.";
    }

    private static String describe(IOException cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
