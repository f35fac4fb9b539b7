package org.rigdesk.daemon.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Who may change things. Anyone who can connect may read (the socket's mode and group decide who
 * can connect); a change (GPU mode, jobs, runner, settings) needs root, the daemon's own user (an
 * unprivileged demo), or membership of the admin group, as a primary group (from SO_PEERCRED) or
 * listed in the group database. The database is read again when it changes.
 */
public final class AccessPolicy {

    /** Every change is allowed (no admin group configured: tests and unprivileged demos). */
    public static final AccessPolicy OPEN = new AccessPolicy(null, null, null);

    private final String adminGroup;
    private final Path groupFile;
    private final String self;
    private long readAt = -1;
    private List<String> members = List.of();

    /** {@code self}: the user the daemon runs as. */
    public AccessPolicy(String adminGroup, Path groupFile, String self) {
        this.adminGroup = adminGroup;
        this.groupFile = groupFile;
        this.self = self;
    }

    public String adminGroup() {
        return adminGroup;
    }

    /** A change by this peer is allowed. */
    public boolean mayChange(Peer peer) {
        if (adminGroup == null || "root".equals(peer.user()) || peer.user().equals(self)
                || adminGroup.equals(peer.group())) {
            return true;
        }
        return members().contains(peer.user());
    }

    /** A read needs nothing beyond a connection; HEAD and GET change nothing. */
    public static boolean isRead(String method) {
        return "GET".equals(method) || "HEAD".equals(method);
    }

    private synchronized List<String> members() {
        try {
            long modified = Files.getLastModifiedTime(groupFile).toMillis();
            if (modified != readAt) {
                members = parse(Files.readAllLines(groupFile), adminGroup);
                readAt = modified;
            }
        } catch (IOException e) {
            members = List.of(); // no group database: only root and the primary group
        }
        return members;
    }

    /** The members listed for {@code group} in /etc/group lines ({@code name:x:gid:a,b,c}). */
    static List<String> parse(List<String> lines, String group) {
        for (String line : lines) {
            String[] fields = line.split(":", -1);
            if (fields.length >= 4 && fields[0].equals(group)) {
                return fields[3].isBlank() ? List.of() : Arrays.stream(fields[3].split(",")).map(String::strip).toList();
            }
        }
        return List.of();
    }
}
