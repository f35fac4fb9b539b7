package org.rigdesk.app.contexts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.AuditLog;
import org.rigdesk.api.wire.GpuList;
import org.rigdesk.api.wire.Json;
import org.rigdesk.app.cli.CliRuns;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.testkit.TestSshd;

/**
 * A second rig behind a real sshd on 127.0.0.1 (a throw-away host key and user key), its rigdeskd
 * on a socket of its own: the CLI reaches it by context through the test's own ssh, and ssh's
 * refusals reach the owner in ssh's words.
 */
class SshContextTest {

    @TempDir
    Path dir;

    @Test
    void aRigBehindSshIsReachedByContextAuditedAsTheSshUserAndSshsRefusalsAreShown() throws Exception {
        assumeTrue(Files.isExecutable(TestSshd.SSHD), "needs openssh-server (./dev test installs it)");
        try (DaemonProcess lab = new DaemonProcess(dir.resolve("lab")).simulate("desktop").start();
             TestSshd sshd = new TestSshd(dir.resolve("sshd")).start();
             DaemonClient labClient = lab.client()) {
            Map<String, String> env = new HashMap<>(Map.of("XDG_CONFIG_HOME", dir.resolve("config").toString(),
                    "XDG_RUNTIME_DIR", dir.resolve("run").toString(), "HOME", dir.toString(),
                    Rigs.ENV_SSH, sshd.sshProgram().toString()));
            String endpoint = "ssh://" + sshd.user() + "@127.0.0.1:" + sshd.port() + lab.socket();
            CliRuns.Run added = CliRuns.runIn(env, "context", "add", "lab", endpoint);
            assertEquals(0, added.code(), added.err());

            CliRuns.Run gpus = CliRuns.runIn(env, "--context", "lab", "gpus", "--json");
            assertEquals(0, gpus.code(), gpus.err() + "\nsshd: " + sshd.log());
            assertEquals(List.of("0000:00:02.0", "0000:01:00.0", "0000:02:00.0"),
                    Json.mapper().readValue(gpus.out(), GpuList.class).gpus().stream().map(g -> g.bdf()).toList());

            CliRuns.Run inspect = CliRuns.runIn(env, "context", "inspect", "lab", "--connect");
            assertEquals(0, inspect.code(), inspect.err());
            assertTrue(inspect.out().contains("\"daemon\"") && inspect.out().contains("\"version\""), inspect.out());

            env.put(Rigs.ENV_CONTEXT, "lab");
            CliRuns.Run toggled = CliRuns.runIn(env, "gpu", "mode", "0000:02:00.0", "vfio");
            assertEquals(0, toggled.code(), toggled.err());
            AuditLog audit = labClient.get("/v1/audit?limit=1", AuditLog.class);
            assertEquals("gpu.mode vfio", audit.entries().get(0).action());
            assertEquals(sshd.user(), audit.entries().get(0).caller(), "the rig audits the ssh user");
            assertEquals("vfio", labClient.get("/v1/gpus/0000:02:00.0", org.rigdesk.api.wire.Gpu.class).mode());

            // --socket wins over every context, as DOCKER_HOST does
            CliRuns.Run socketWins = CliRuns.runIn(env, "--socket", dir.resolve("none.sock").toString(), "info");
            assertEquals(3, socketWins.code(), socketWins.out());
            assertTrue(socketWins.err().contains(dir.resolve("none.sock").toString()), socketWins.err());

            // a rig whose daemon is not on that socket: the forward fails on the rig, and ssh's words say so
            assertEquals(0, CliRuns.runIn(env, "context", "add", "ghost", "ssh://" + sshd.user() + "@127.0.0.1:"
                    + sshd.port() + dir.resolve("no-daemon.sock")).code());
            CliRuns.Run ghost = CliRuns.runIn(env, "--context", "ghost", "info");
            assertEquals(3, ghost.code(), ghost.out());
            assertTrue(ghost.err().contains("rig 'ghost'") && ghost.err().contains("\n  channel")
                    && ghost.err().contains("open failed"), ghost.err());

            sshd.stop();
            CliRuns.Run down = CliRuns.runIn(env, "info");
            assertEquals(3, down.code(), down.out());
            assertTrue(down.err().contains("rig 'lab'") && down.err().contains("Connection refused"), down.err());
            sshd.start();
            assertEquals(0, CliRuns.runIn(env, "info").code(), "back when sshd is back");

            sshd.changeHostKey();
            CliRuns.Run changed = CliRuns.runIn(env, "gpus");
            assertEquals(3, changed.code(), changed.out());
            assertTrue(changed.err().contains("REMOTE HOST IDENTIFICATION HAS CHANGED")
                    && changed.err().contains("Host key verification failed"), "ssh's own words:\n" + changed.err());
            assertEquals(List.of(), leftoverTunnels(dir.resolve("run")), "no tunnel socket outlives its command");
        }
    }

    private static List<Path> leftoverTunnels(Path runtime) throws java.io.IOException {
        Path tunnels = runtime.resolve("rigdesk/ssh");
        if (!Files.isDirectory(tunnels)) {
            return List.of();
        }
        try (var files = Files.list(tunnels)) {
            return files.toList();
        }
    }
}
