package org.rigdesk.app.contexts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.client.SocketLocator;

/**
 * Which rig a command talks to, and a client for it. {@code --socket} and {@code RIGDESK_SOCKET}
 * win over any context (as {@code DOCKER_HOST} does over Docker's); then {@code --context}, then
 * {@code RIGDESK_CONTEXT}, then the context chosen with {@code rigdesk context use}; {@code local}
 * is this machine's daemon, found as always.
 */
public final class Rigs {

    public static final String ENV_CONTEXT = "RIGDESK_CONTEXT";
    /** The ssh program to run, as {@code GIT_SSH}: a wrapper may add options (the tests' own config). */
    public static final String ENV_SSH = "RIGDESK_SSH";

    private Rigs() {
    }

    /** Where commands go: a socket here, or a remote rig's context. */
    public sealed interface Target permits Local, Remote {
    }

    public record Local(Path socket) implements Target {
    }

    public record Remote(RigContext context) implements Target {
    }

    public static Target resolve(String socketOption, String contextOption, Map<String, String> env,
                                 ContextStore store) throws IOException {
        boolean socketNamed = socketOption != null && !socketOption.isBlank();
        if (socketNamed && contextOption != null) {
            throw new IllegalArgumentException("--socket and --context name two daemons: give one");
        }
        String fromEnv = env.get(SocketLocator.ENV_SOCKET);
        if (socketNamed || fromEnv != null && !fromEnv.isBlank()) {
            return new Local(SocketLocator.resolve(socketOption, env, java.nio.file.Files::exists));
        }
        String name = contextOption != null ? contextOption
                : env.get(ENV_CONTEXT) != null && !env.get(ENV_CONTEXT).isBlank() ? env.get(ENV_CONTEXT).strip()
                : store.current();
        RigContext context = store.get(name).orElseThrow(() -> new IllegalArgumentException(
                ContextStore.unknown(name) + (contextOption == null && env.get(ENV_CONTEXT) == null
                        ? " (it is the current one: rigdesk context use local)" : "")));
        return context.isLocal() ? new Local(SocketLocator.resolve(null, env, java.nio.file.Files::exists))
                : new Remote(context);
    }

    /** A client for the target: a remote rig's comes over a tunnel ({@link RigLink}) that closes with it. */
    public static RigdeskApi connect(Target target, Map<String, String> env) {
        if (target instanceof Local local) {
            return new DaemonClient(local.socket());
        }
        return new RigLink(((Remote) target).context(), env).api();
    }

    static String sshProgram(Map<String, String> env) {
        String program = env.get(ENV_SSH);
        return program == null || program.isBlank() ? "ssh" : program.strip();
    }

    /** The tunnel's socket: beside the user's own socket, one per context and process. */
    static Path tunnelSocket(RigContext context, Map<String, String> env) {
        return SocketLocator.userSocket(env).getParent().resolve("ssh")
                .resolve(context.name() + "-" + ProcessHandle.current().pid() + ".sock");
    }
}
