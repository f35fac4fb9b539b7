package org.rigdesk.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rigdesk context …}: the list as the owner changes it, and bad input refused with nothing written. */
class ContextCommandTest {

    @TempDir
    Path dir;

    @Test
    void addUseInspectAndRemoveARig() throws Exception {
        Map<String, String> env = Map.of("XDG_CONFIG_HOME", dir.toString(), "XDG_RUNTIME_DIR", dir.toString());
        assertEquals(0, CliRuns.runIn(env, "context", "add", "lab", "ssh://ci@lab-box:2222").code());
        CliRuns.Run ls = CliRuns.runIn(env, "context", "ls");
        assertTrue(ls.out().contains("local *") && ls.out().contains("ssh://ci@lab-box:2222/run/rigdesk/rigdeskd.sock"),
                ls.out());
        assertEquals(0, CliRuns.runIn(env, "context", "use", "lab").code());
        assertTrue(CliRuns.runIn(env, "context", "ls").out().contains("lab *"));
        CliRuns.Run inspect = CliRuns.runIn(env, "context", "inspect");
        assertTrue(inspect.out().contains("\"name\" : \"lab\"") && inspect.out().contains("\"port\" : 2222"),
                inspect.out());

        String saved = Files.readString(dir.resolve("rigdesk/contexts.json"));
        for (String[] bad : new String[][] {{"context", "add", "lab", "ssh://other"},
                {"context", "add", "x", "ssh://-oProxyCommand=touch /tmp/p"}, {"context", "add", "local", "ssh://x"},
                {"context", "rm", "local"}, {"context", "use", "nope"}, {"context", "rm", "nope"}}) {
            CliRuns.Run refused = CliRuns.runIn(env, bad);
            assertEquals(2, refused.code(), String.join(" ", bad) + ": " + refused.err());
            assertEquals(saved, Files.readString(dir.resolve("rigdesk/contexts.json")), "nothing written");
        }
        assertEquals(2, CliRuns.runIn(env, "--socket", "/x.sock", "--context", "lab", "gpus").code(),
                "two daemons named: refused before any call");

        assertEquals(0, CliRuns.runIn(env, "context", "rm", "lab").code());
        assertTrue(CliRuns.runIn(env, "context", "ls").out().contains("local *"), "local is current again");
    }
}
