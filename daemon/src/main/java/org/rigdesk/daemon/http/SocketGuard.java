package org.rigdesk.daemon.http;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.logging.Logger;
import org.rigdesk.daemon.problems.StartupException;

/** Takes the socket path before Jetty binds it, and sets its mode and group after. */
final class SocketGuard {

    private static final Logger LOG = Logger.getLogger(SocketGuard.class.getName());

    private SocketGuard() {
    }

    /** Refuses if a live daemon answers on {@code socket}; removes a stale file nobody answers on. */
    static void claim(Path socket) throws StartupException {
        try {
            Path parent = socket.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                Files.createDirectories(parent);
                Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new StartupException("cannot create the socket's directory for " + socket + ": " + e.getMessage(),
                    "create it, or pass --socket with a path in a writable directory", e);
        }
        if (!Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isSymbolicLink(socket) || Files.isDirectory(socket)) {
            throw new StartupException(socket + " exists and is not a socket",
                    "remove it or choose another --socket path");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            throw new StartupException("another rigdeskd is already serving " + socket,
                    "stop it first (sudo systemctl stop rigdeskd), or give this one another --socket");
        } catch (IOException nobodyAnswers) {
            try {
                Files.delete(socket);
                LOG.info(() -> "removed stale socket " + socket);
            } catch (IOException e) {
                throw new StartupException("cannot remove the stale socket " + socket + ": " + e.getMessage(),
                        "remove it by hand", e);
            }
        }
    }

    static void restrict(Path socket, String group) throws StartupException {
        try {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
            if (group != null) {
                GroupPrincipal principal = socket.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByGroupName(group);
                Files.getFileAttributeView(socket, PosixFileAttributeView.class).setGroup(principal);
            }
        } catch (IOException e) {
            throw new StartupException("cannot set owner group '" + group + "' and mode 0660 on " + socket + ": "
                    + e.getMessage(), "create the group (groupadd --system " + group + ") or omit --socket-group", e);
        }
    }
}
