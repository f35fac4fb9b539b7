package org.rigdesk.daemon.http;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.file.attribute.UserPrincipal;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectableChannelEndPoint;
import org.eclipse.jetty.server.Request;

/** Who is on the other end of the unix socket, from the kernel (SO_PEERCRED), never from headers. */
public record Peer(String user, String group) {

    public static final Peer UNKNOWN = new Peer("unknown", "unknown");

    public static Peer of(Request request) {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        if (endPoint instanceof SelectableChannelEndPoint selectable
                && selectable.getChannel() instanceof SocketChannel channel) {
            try {
                UnixDomainPrincipal principal = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
                UserPrincipal user = principal.user();
                return new Peer(user.getName(), principal.group().getName());
            } catch (IOException | UnsupportedOperationException | UnsupportedAddressTypeException e) {
                return UNKNOWN;
            }
        }
        return UNKNOWN;
    }

    @Override
    public String toString() {
        return user;
    }
}
