package org.rigdesk.app.contexts;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.client.DaemonException;
import org.rigdesk.api.client.EventListener;
import org.rigdesk.api.client.EventSubscription;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.client.SocketLocator;

/**
 * One rig's daemon as a {@link RigdeskApi}: the local socket, or a remote rig's through one ssh
 * tunnel kept open across calls and opened again by the next call after it died (ssh gone, the
 * rig rebooted). A call that fails below HTTP says what ssh said. Safe from several threads.
 */
public final class RigLink implements AutoCloseable {

    private static final Duration CONNECT = Duration.ofSeconds(20);

    private final RigContext context;
    private final Map<String, String> env;
    /** The local rig's socket, as the window was told it; null for a remote rig. */
    private final Path localSocket;
    private final RigdeskApi api;
    private SshTunnel tunnel;
    private DaemonClient client;
    private boolean closed;

    public RigLink(RigContext context, Map<String, String> env) {
        this(context, env, context.isLocal() ? SocketLocator.resolve(null, env, java.nio.file.Files::exists) : null);
    }

    /** This machine's daemon on {@code socket} (the one the window was started on). */
    public static RigLink local(Path socket) {
        return new RigLink(RigContext.local(), Map.of(), socket);
    }

    private RigLink(RigContext context, Map<String, String> env, Path localSocket) {
        this.context = context;
        this.env = Map.copyOf(env);
        this.localSocket = localSocket;
        this.api = (RigdeskApi) Proxy.newProxyInstance(RigdeskApi.class.getClassLoader(),
                new Class<?>[] {RigdeskApi.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "close" -> {
                        close();
                        yield null;
                    }
                    case "socket" -> socket();
                    case "events" -> events((EventListener) args[0]);
                    default -> call(method, args);
                });
    }

    public RigContext context() {
        return context;
    }

    /** The rig's API; closing it closes the link. */
    public RigdeskApi api() {
        return api;
    }

    /** Where the calls go now: the local socket, or this end of the tunnel (named by its context before one is open). */
    private synchronized Path socket() {
        if (context.isLocal()) {
            return localSocket;
        }
        return tunnel != null ? tunnel.socket() : Rigs.tunnelSocket(context, env);
    }

    private Object call(java.lang.reflect.Method method, Object[] args) throws Throwable {
        DaemonClient now = client();
        try {
            return method.invoke(now, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io && !(cause instanceof DaemonException) && !context.isLocal()) {
                throw unreachable(now, io);
            }
            throw cause;
        }
    }

    private EventSubscription events(EventListener listener) {
        DaemonClient now;
        try {
            now = client();
        } catch (IOException e) {
            listener.onClosed(e);
            return () -> { };
        }
        return now.events(new EventListener() {
            @Override
            public void onOpen() {
                listener.onOpen();
            }

            @Override
            public void onEvent(String type, String data) {
                listener.onEvent(type, data);
            }

            @Override
            public void onClosed(Throwable failure) {
                listener.onClosed(failure instanceof IOException io && !(io instanceof DaemonException)
                        && !context.isLocal() ? unreachable(now, io) : failure);
            }
        });
    }

    /** The client of the link as it is now: a remote rig's tunnel opened (again) when it is not up. */
    private synchronized DaemonClient client() throws IOException {
        if (closed) {
            throw new IOException("the link to rig '" + context.name() + "' is closed");
        }
        if (context.isLocal()) {
            if (client == null) {
                client = new DaemonClient(socket());
            }
            return client;
        }
        if (tunnel == null || !tunnel.alive()) {
            drop();
            try {
                tunnel = SshTunnel.open(context.ssh(), Rigs.tunnelSocket(context, env), Rigs.sshProgram(env), CONNECT);
            } catch (SshTunnel.SshException e) {
                throw new RigUnreachableException(context, e);
            }
            client = new DaemonClient(tunnel.socket());
        }
        return client;
    }

    /** A failed call on {@code used}: ssh's words with it; a dead tunnel is dropped so the next call opens one. */
    private synchronized RigUnreachableException unreachable(DaemonClient used, IOException failure) {
        String said = tunnel != null && client == used ? tunnel.sshErrors() : "";
        if (client == used && tunnel != null && !tunnel.alive()) {
            drop();
        }
        return new RigUnreachableException(context, new IOException(failure.getMessage()
                + (said.isEmpty() ? "" : "\n" + SshTunnel.asSaid(said)), failure));
    }

    private void drop() {
        if (client != null) {
            client.close();
            client = null;
        }
        if (tunnel != null) {
            tunnel.close();
            tunnel = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        drop();
    }
}
