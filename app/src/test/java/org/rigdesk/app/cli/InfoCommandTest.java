package org.rigdesk.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
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

    record Run(int code, String out, String err) {
    }

    /** {@code rigdesk --socket SOCKET ARGS…} */
    static Run runOn(java.nio.file.Path socket, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--socket";
        all[1] = socket.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return run(all);
    }

    static Run run(String... args) {
        return run(RigdeskCommand.commandLine(), args);
    }

    /** {@code rigdesk ARGS…} over {@code api} (the in-memory daemon) instead of a socket. */
    static Run runOver(org.rigdesk.api.client.RigdeskApi api, String... args) {
        return run(RigdeskCommand.commandLineOver(api), args);
    }

    private static Run run(CommandLine commandLine, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void infoPrintsTheDaemonAndTheChecks() {
        Run run = run("--socket", daemon.socket().toString(), "info");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("rigdeskd "), run.out());
        assertTrue(run.out().contains("[simulated]"), run.out());
        assertTrue(run.out().contains("IOMMU enabled"), run.out());
        assertTrue(run.out().contains("FAIL"), "an empty fake tree has no IOMMU:\n" + run.out());
        assertTrue(run.out().contains("intel_iommu=on"), "remedies are printed:\n" + run.out());
    }

    @Test
    void infoJsonIsTheDaemonsDocument() throws Exception {
        Run run = run("info", "--json", "--socket", daemon.socket().toString());
        assertEquals(0, run.code(), run.err());
        Info info = Json.mapper().readValue(run.out(), Info.class);
        assertEquals(daemon.process().pid(), info.pid());
    }

    @Test
    void noDaemonExitsWithThreeAndSaysWhatToDo() {
        Run run = run("--socket", dir.resolve("nobody.sock").toString(), "info");
        assertEquals(RigdeskCommand.EXIT_UNREACHABLE, run.code());
        assertTrue(run.err().contains("not answering"), run.err());
        assertTrue(run.err().contains("systemctl start rigdeskd"), run.err());
    }

    @Test
    void helpListsTheCommands() {
        Run run = run("--help");
        assertEquals(0, run.code());
        assertTrue(run.out().contains("info"), run.out());
        assertTrue(run.out().contains("--socket"), run.out());
    }
}
