package org.rigdesk.daemon.http;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import jdk.net.ExtendedSocketOptions;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectableChannelEndPoint;

/**
 * At most {@link #LIMIT} open connections per user (root excepted): one user's runaway script
 * cannot take the threads and sockets every other window and CLI needs. A connection over the
 * limit is closed as soon as it opens.
 */
final class PeerConnections implements Connection.Listener {

    static final int LIMIT = 128;
    private static final Logger LOG = Logger.getLogger(PeerConnections.class.getName());

    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final Map<Connection, String> owners = new ConcurrentHashMap<>();

    @Override
    public void onOpened(Connection connection) {
        String user = user(connection.getEndPoint());
        if (user == null || "root".equals(user)) {
            return;
        }
        int count = open.computeIfAbsent(user, u -> new AtomicInteger()).incrementAndGet();
        owners.put(connection, user);
        if (count > LIMIT) {
            if (count == LIMIT + 1) {
                LOG.warning(user + " holds " + LIMIT + " connections: refusing more until some close");
            }
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        String user = owners.remove(connection);
        if (user != null) {
            open.get(user).decrementAndGet();
        }
    }

    private static String user(EndPoint endPoint) {
        if (endPoint instanceof SelectableChannelEndPoint selectable
                && selectable.getChannel() instanceof SocketChannel channel) {
            try {
                return channel.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName();
            } catch (IOException | UnsupportedOperationException e) {
                return null;
            }
        }
        return null;
    }
}
