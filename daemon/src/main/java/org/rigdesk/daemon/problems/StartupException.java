package org.rigdesk.daemon.problems;

/** A reason the daemon cannot start, with what the user can do about it. */
public class StartupException extends Exception {

    private final String remedy;

    public StartupException(String message, String remedy) {
        this(message, remedy, null);
    }

    public StartupException(String message, String remedy, Throwable cause) {
        super(message, cause);
        this.remedy = remedy;
    }

    public String remedy() {
        return remedy;
    }
}
