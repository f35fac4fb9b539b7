package org.rigdesk.app.contexts;

import java.util.regex.Pattern;

/**
 * A named rig: {@code local} is this machine's daemon (its socket found as always); every other
 * context is a remote rig reached over ssh.
 */
public record RigContext(String name, String endpoint) {

    public static final String LOCAL = "local";
    private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,63}$");

    public RigContext {
        checkName(name);
        if (!LOCAL.equals(name)) {
            endpoint = SshEndpoint.parse(endpoint).toString();
        }
    }

    public static RigContext local() {
        return new RigContext(LOCAL, null);
    }

    public boolean isLocal() {
        return LOCAL.equals(name);
    }

    /** The remote endpoint (a context other than {@code local}). */
    public SshEndpoint ssh() {
        return SshEndpoint.parse(endpoint);
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a context's name is 1-64 of a-z 0-9 . _ -, starting with a letter "
                    + "or digit: " + (name == null ? "none given" : SshEndpoint.quoted(name)));
        }
    }
}
