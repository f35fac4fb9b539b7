package org.rigdesk.app.contexts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Endpoints, the context list and which rig wins, without ssh. */
class ContextsTest {

    @TempDir
    Path dir;

    @Test
    void endpointsReadAsDockersSshContextsWriteThem() {
        assertEquals(new SshEndpoint(null, "lab", null, SshEndpoint.DEFAULT_SOCKET), SshEndpoint.parse("ssh://lab"));
        assertEquals(new SshEndpoint("ci", "rig-2.example.org", 2222, "/srv/rigdesk.sock"),
                SshEndpoint.parse("ssh://ci@rig-2.example.org:2222/srv/rigdesk.sock"));
        SshEndpoint v6 = SshEndpoint.parse("ssh://[fd00::2]:22/");
        assertEquals("fd00::2", v6.sshHost());
        assertEquals(SshEndpoint.DEFAULT_SOCKET, v6.socket());
        assertEquals("ssh://ci@lab:2222/run/rigdesk/rigdeskd.sock", SshEndpoint.parse("ssh://ci@lab:2222").toString());
    }

    @Test
    void nothingThatSshCouldReadAsAnOptionGetsThrough() {
        for (String bad : List.of("ssh://-oProxyCommand=touch%20x", "ssh://-lab", "ssh://-oX@lab", "ssh://lab:0",
                "ssh://lab:99999", "ssh://lab:22x", "ssh://lab/run/x y.sock", "ssh://lab/../etc/passwd",
                "ssh://lab;reboot", "ssh://", "tcp://lab:22", "ssh://la\nb", "ssh://us er@lab", "lab", "")) {
            assertThrows(IllegalArgumentException.class, () -> SshEndpoint.parse(bad), bad);
        }
        List<String> command = SshTunnel.command(SshEndpoint.parse("ssh://ci@lab:2222"), dir.resolve("l.sock"), "ssh");
        assertEquals(List.of("--", "lab"), command.subList(command.size() - 2, command.size()),
                "the host comes after --, so ssh never reads it as an option");
        assertTrue(command.contains("BatchMode=yes"), "no prompt the window could never answer");
    }

    @Test
    void theListKeepsLocalFirstAndRefusesWhatItCannotHoldChangingNothing() throws Exception {
        ContextStore store = new ContextStore(dir.resolve("rigdesk/contexts.json"));
        assertEquals(List.of(RigContext.local()), store.list());
        assertEquals("local", store.current());
        store.add("lab", "ssh://ci@lab:2222");
        store.use("lab");
        assertEquals("lab", store.current());
        String saved = Files.readString(store.file());
        for (Runnable bad : List.<Runnable>of(() -> quietly(() -> store.add("lab", "ssh://other")),
                () -> quietly(() -> store.add("local", "ssh://other")), () -> quietly(() -> store.add("Lab!", "ssh://x")),
                () -> quietly(() -> store.add("x", "ssh://-oProxyCommand=y")), () -> quietly(() -> store.remove("local")),
                () -> quietly(() -> store.remove("nope")), () -> quietly(() -> store.use("nope")))) {
            assertThrows(IllegalArgumentException.class, bad::run);
            assertEquals(saved, Files.readString(store.file()), "a refused change writes nothing");
        }
        store.remove("lab");
        assertEquals("local", store.current(), "removing the current context makes local current again");
    }

    @Test
    void socketBeatsEveryContextAndTheEnvironmentBeatsTheChosenOne() throws Exception {
        ContextStore store = new ContextStore(dir.resolve("contexts.json"));
        store.add("lab", "ssh://lab");
        store.add("office", "ssh://office");
        store.use("lab");
        Map<String, String> env = Map.of("XDG_RUNTIME_DIR", dir.toString());
        assertEquals("lab", ((Rigs.Remote) Rigs.resolve(null, null, env, store)).context().name());
        assertEquals("office", ((Rigs.Remote) Rigs.resolve(null, null,
                Map.of(Rigs.ENV_CONTEXT, "office"), store)).context().name());
        assertEquals("local", assertInstanceOf(Rigs.Local.class, Rigs.resolve(null, "local", env, store)) != null
                ? "local" : "?");
        assertEquals(Path.of("/x.sock"), ((Rigs.Local) Rigs.resolve(null, null,
                Map.of("RIGDESK_SOCKET", "/x.sock", Rigs.ENV_CONTEXT, "office"), store)).socket());
        assertEquals(Path.of("/y.sock"), ((Rigs.Local) Rigs.resolve("/y.sock", null, env, store)).socket());
        assertThrows(IllegalArgumentException.class, () -> Rigs.resolve("/y.sock", "lab", env, store));
        assertThrows(IllegalArgumentException.class, () -> Rigs.resolve(null, "gone", env, store));
    }

    private interface Io {
        void run() throws java.io.IOException;
    }

    private static void quietly(Io io) {
        try {
            io.run();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
