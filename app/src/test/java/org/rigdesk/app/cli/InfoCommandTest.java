package org.rigdesk.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.wire.Info;
import org.rigdesk.api.wire.Json;
import org.rigdesk.testkit.DaemonProcess;
import picocli.CommandLine;

/** The CLI against a real daemon. */
class InfoCommandTest {

    @TempDir
    static Path dir;
    static DaemonProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = new DaemonProcess(dir).start();
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    /** {@code rigdesk --socket SOCKET ARGS…} */
    static CliRuns.Run runOn(java.nio.file.Path socket, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--socket";
        all[1] = socket.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return run(all);
    }

    static CliRuns.Run run(String... args) {
        return run(RigdeskCommand.commandLine(), args);
    }

    /** {@code rigdesk ARGS…} over {@code api} (the in-memory daemon) instead of a socket. */
    static CliRuns.Run runOver(org.rigdesk.api.client.RigdeskApi api, String... args) {
        return run(RigdeskCommand.commandLineOver(api), args);
    }

    private static CliRuns.Run run(CommandLine commandLine, String... args) {
        return CliRuns.run(commandLine, args);
    }

    @Test
    void infoPrintsTheDaemonAndTheChecks() {
        CliRuns.Run run = run("--socket", daemon.socket().toString(), "info");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("rigdeskd "), run.out());
        assertTrue(run.out().contains("[simulated]"), run.out());
        assertTrue(run.out().contains("IOMMU enabled"), run.out());
        assertTrue(run.out().contains("FAIL"), "an empty fake tree has no IOMMU:\n" + run.out());
        assertTrue(run.out().contains("intel_iommu=on"), "remedies are printed:\n" + run.out());
    }

    @Test
    void infoJsonIsTheDaemonsDocument() throws Exception {
        CliRuns.Run run = run("info", "--json", "--socket", daemon.socket().toString());
        assertEquals(0, run.code(), run.err());
        Info info = Json.mapper().readValue(run.out(), Info.class);
        assertEquals(daemon.process().pid(), info.pid());
    }

    @Test
    void noDaemonExitsWithThreeAndSaysWhatToDo() {
        CliRuns.Run run = run("--socket", dir.resolve("nobody.sock").toString(), "info");
        assertEquals(RigdeskCommand.EXIT_UNREACHABLE, run.code());
        assertTrue(run.err().contains("not answering"), run.err());
        assertTrue(run.err().contains("systemctl start rigdeskd"), run.err());
    }

    @Test
    void helpListsTheCommands() {
        CliRuns.Run run = run("--help");
        assertEquals(0, run.code());
        assertTrue(run.out().contains("info"), run.out());
        assertTrue(run.out().contains("--socket"), run.out());
    }
}
