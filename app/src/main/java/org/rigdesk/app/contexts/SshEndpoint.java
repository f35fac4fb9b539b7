package org.rigdesk.app.contexts;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a remote rig's daemon is: {@code ssh://[USER@]HOST[:PORT][/SOCKET/PATH]}, as Docker's ssh
 * contexts write it. Every part ends up on ssh's command line, so each is held to a shape that
 * cannot be read as an option: a host or user never starts with '-', nothing holds a space or a
 * control character.
 */
public record SshEndpoint(String user, String host, Integer port, String socket) {

    /** The daemon's socket on a rig where it runs as the system service. */
    public static final String DEFAULT_SOCKET = "/run/rigdesk/rigdeskd.sock";

    private static final Pattern URI = Pattern.compile(
            "^ssh://(?:([^@/]*)@)?(\\[[0-9A-Fa-f:.]+\\]|[^:/\\[\\]]*)(?::([^/]*))?(/.*)?$");
    private static final Pattern USER = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9._-]{0,31}$");
    private static final Pattern HOST = Pattern.compile("^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9][A-Za-z0-9.-]{0,252})$");
    private static final Pattern SOCKET = Pattern.compile("^/[A-Za-z0-9._/-]{1,200}$");

    public SshEndpoint {
        if (user != null && !USER.matcher(user).matches()) {
            throw new IllegalArgumentException("the user must be 1-32 of A-Z a-z 0-9 . _ -, not starting with - or .");
        }
        if (host == null || !HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("the host must be a name or an address (letters, digits, . and -, "
                    + "or [IPv6]), not starting with -");
        }
        if (port != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("the port must be between 1 and 65535");
        }
        if (socket == null || !SOCKET.matcher(socket).matches() || socket.contains("/../") || socket.endsWith("/..")) {
            throw new IllegalArgumentException("the socket path must be absolute: A-Z a-z 0-9 . _ - and /");
        }
    }

    /** Reads {@code ssh://[USER@]HOST[:PORT][/SOCKET/PATH]}; the path defaults to {@link #DEFAULT_SOCKET}. */
    public static SshEndpoint parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an endpoint is ssh://[USER@]HOST[:PORT][/SOCKET/PATH]");
        }
        Matcher m = URI.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not an ssh endpoint: " + quoted(text)
                    + " (expected ssh://[USER@]HOST[:PORT][/SOCKET/PATH])");
        }
        Integer port = null;
        if (m.group(3) != null) {
            try {
                port = Integer.parseInt(m.group(3));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the port must be a number: " + quoted(m.group(3)));
            }
        }
        String path = m.group(4) == null || m.group(4).equals("/") ? DEFAULT_SOCKET : m.group(4);
        return new SshEndpoint(m.group(1), m.group(2), port, path);
    }

    /** The host as ssh takes it (without an IPv6 address's brackets). */
    public String sshHost() {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public String toString() {
        return "ssh://" + (user == null ? "" : user + "@") + host + (port == null ? "" : ":" + port) + socket;
    }

    static String quoted(String text) {
        String cut = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
