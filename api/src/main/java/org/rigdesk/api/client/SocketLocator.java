package org.rigdesk.api.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Finds the daemon's socket the same way in the window and the CLI:
 * {@code --socket PATH} &gt; {@code RIGDESK_SOCKET} &gt; the system socket if it exists &gt;
 * {@code $XDG_RUNTIME_DIR/rigdesk/rigdeskd.sock}.
 */
public final class SocketLocator {

    public static final Path SYSTEM_SOCKET = Path.of("/run/rigdesk/rigdeskd.sock");
    public static final String ENV_SOCKET = "RIGDESK_SOCKET";

    private SocketLocator() {
    }

    public static Path resolve(String option) {
        return resolve(option, System.getenv(), Files::exists);
    }

    public static Path resolve(String option, Map<String, String> env, Predicate<Path> exists) {
        if (option != null && !option.isBlank()) {
            return Path.of(option);
        }
        String fromEnv = env.get(ENV_SOCKET);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        if (exists.test(SYSTEM_SOCKET)) {
            return SYSTEM_SOCKET;
        }
        return userSocket(env);
    }

    /** The unprivileged (demo) socket: under the XDG runtime dir, or /tmp when there is none. */
    public static Path userSocket(Map<String, String> env) {
        String runtime = env.get("XDG_RUNTIME_DIR");
        Path base = runtime == null || runtime.isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), "rigdesk-" + System.getProperty("user.name"))
                : Path.of(runtime);
        return base.resolve("rigdesk").resolve("rigdeskd.sock");
    }
}
