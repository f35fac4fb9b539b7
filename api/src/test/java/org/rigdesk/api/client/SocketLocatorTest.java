package org.rigdesk.api.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SocketLocatorTest {

    private static final Map<String, String> ENV = Map.of(
            "RIGDESK_SOCKET", "/env/rigdeskd.sock", "XDG_RUNTIME_DIR", "/run/user/1000");

    @Test
    void optionWinsOverEverything() {
        assertEquals(Path.of("/opt/s.sock"), SocketLocator.resolve("/opt/s.sock", ENV, p -> true));
    }

    @Test
    void environmentWinsOverTheSystemSocket() {
        assertEquals(Path.of("/env/rigdeskd.sock"), SocketLocator.resolve(null, ENV, p -> true));
    }

    @Test
    void systemSocketWhenItExists() {
        Map<String, String> env = Map.of("XDG_RUNTIME_DIR", "/run/user/1000");
        assertEquals(SocketLocator.SYSTEM_SOCKET, SocketLocator.resolve(null, env, p -> true));
    }

    @Test
    void userRuntimeDirOtherwise() {
        Map<String, String> env = Map.of("XDG_RUNTIME_DIR", "/run/user/1000");
        assertEquals(Path.of("/run/user/1000/rigdesk/rigdeskd.sock"), SocketLocator.resolve("", env, p -> false));
    }
}
