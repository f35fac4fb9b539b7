package org.rigdesk.daemon.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.rigdesk.daemon.problems.StartupException;

/** Jetty 12 on a unix domain socket, serving a {@link Router}. */
public class ApiServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ApiServer.class.getName());
    public static final int MAX_HEADER_BYTES = 8 * 1024;
    /** The API's threads; long-lived streams may hold at most {@link StreamSlots#TOTAL} of them. */
    static final int MAX_THREADS = 256;

    private final Path socket;
    private final String group;
    private final Server server;
    /** The inode of the socket we bound: at stop we remove that file only, never a successor's. */
    private Object socketKey;

    public ApiServer(Path socket, String group, Router router, AccessPolicy access, ApiHandler.Refusals refusals) {
        this.socket = socket;
        this.group = group;
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 4);
        threads.setName("api");
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        http.setRequestHeaderSize(MAX_HEADER_BYTES);
        UnixDomainServerConnector connector = new UnixDomainServerConnector(server, new HttpConnectionFactory(http));
        connector.setUnixDomainPath(socket);
        connector.setAcceptQueueSize(128);
        connector.setIdleTimeout(300_000);
        connector.addBean(new PeerConnections());
        server.addConnector(connector);
        server.setHandler(new ApiHandler(router, access, refusals));
        server.setErrorHandler(new ProblemErrorHandler());
        server.setStopTimeout(2_000);
    }

    /** Fails fast, before any other start-up work, when a live daemon already serves the socket. */
    public void claim() throws StartupException {
        SocketGuard.claim(socket);
    }

    public void start() throws StartupException {
        try {
            server.start();
        } catch (Exception e) {
            throw new StartupException("cannot listen on " + socket + ": " + e.getMessage(),
                    "check that the directory is writable and no other process holds the path", e);
        }
        SocketGuard.restrict(socket, group);
        socketKey = fileKey(socket);
        LOG.info(() -> "listening on " + socket);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warning("stopping the API server failed: " + e.getMessage());
        }
        try {
            Object key = fileKey(socket);
            if (key != null && key.equals(socketKey)) {
                Files.deleteIfExists(socket);
            }
        } catch (java.io.IOException e) {
            LOG.warning("cannot remove " + socket + ": " + e.getMessage());
        }
    }

    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
