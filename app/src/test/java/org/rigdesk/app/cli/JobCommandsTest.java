package org.rigdesk.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.testkit.DaemonProcess;

/** {@code rigdesk run}, {@code jobs} and {@code logs} against the demo rig, booting the test image for real. */
class JobCommandsTest {

    @TempDir
    static Path dir;
    static DaemonProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        DaemonProcess.requireTestImage();
        daemon = new DaemonProcess(dir).simulate("desktop").start();
        try (DaemonClient client = daemon.client()) {
            client.send("PUT", "/v1/gpus/0000:02:00.0/mode", Map.of("mode", "vfio"), Gpu.class);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    private static CliRuns.Run run(String... args) {
        return InfoCommandTest.runOn(daemon.socket(), args);
    }

    @Test
    void runWithAGpuPrintsTheGuestKernelAndExitsZero() {
        CliRuns.Run run = run("run", "--gpus", "1", "--cpus", "1", "--memory", "256", "--", "uname", "-a");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("Linux rigdesk-test 6.1.0"), run.out());
        assertTrue(run.out().contains("simulated"), "the demo says its GPU is simulated:\n" + run.out());
        CliRuns.Run jobs = run("jobs");
        assertEquals(0, jobs.code(), jobs.err());
        assertTrue(jobs.out().contains("uname -a") && jobs.out().contains("succeeded")
                && jobs.out().contains("0000:02:00.0 (simulated)"), jobs.out());
        String id = jobs.out().lines().skip(1).filter(l -> l.contains("uname -a")).findFirst().orElseThrow().split(" ")[0];
        CliRuns.Run logs = run("logs", id);
        assertTrue(logs.out().contains("Linux rigdesk-test"), logs.out());
    }

    @Test
    void theJobsExitCodeBecomesTheCommands() {
        CliRuns.Run run = run("run", "--cpus", "1", "--memory", "256", "--", "sh", "-c", "echo 'quoted words'; exit 5");
        assertEquals(5, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("quoted words"), run.out());
        assertTrue(run.err().contains("failed"), run.err());
    }

    /**
     * {@code rigdesk run -- cmd > out} gives the bytes cmd wrote, as {@code docker run} without
     * {@code -t} does: no \r added before each \n (the guest's output is no terminal), bytes that
     * are not UTF-8 passed through; {@code rigdesk logs} gives the same bytes.
     */
    @Test
    void aJobsOutputArrivesAsTheBytesItWrote() throws Exception {
        byte[] wrote = {(byte) 0xff, (byte) 0xfe, 'o', 'k', '\r', '\n', 't', 'a', 'b', '\t', (byte) 0xc3, (byte) 0xa9, '\n'};
        java.io.ByteArrayOutputStream run = new java.io.ByteArrayOutputStream();
        assertEquals(0, bytesOf(run, "run", "--cpus", "1", "--memory", "256", "--", "printf", "\\377\\376ok\\r\\ntab\\t\\303\\251\\n"));
        org.junit.jupiter.api.Assertions.assertArrayEquals(wrote, run.toByteArray(), run.toString());
        String id = run("jobs").out().lines().skip(1).filter(l -> l.contains("printf")).findFirst().orElseThrow().split(" ")[0];
        java.io.ByteArrayOutputStream logs = new java.io.ByteArrayOutputStream();
        assertEquals(0, bytesOf(logs, "logs", id));
        org.junit.jupiter.api.Assertions.assertArrayEquals(wrote, logs.toByteArray(), logs.toString());
    }

    /** {@code rigdesk run -t}: the job's output goes through a terminal, as {@code docker run -t}. */
    @Test
    void aJobThatAsksForATerminalGetsOne() throws Exception {
        java.io.ByteArrayOutputStream run = new java.io.ByteArrayOutputStream();
        assertEquals(0, bytesOf(run, "run", "-t", "--cpus", "1", "--memory", "256", "--", "sh", "-c",
                "test -t 1 && echo on a terminal"));
        assertEquals("on a terminal\r\n", run.toString(java.nio.charset.StandardCharsets.UTF_8));
        java.io.ByteArrayOutputStream plain = new java.io.ByteArrayOutputStream();
        bytesOf(plain, "run", "--cpus", "1", "--memory", "256", "--", "sh", "-c", "test -t 1 || echo no terminal");
        assertEquals("no terminal\n", plain.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The CLI as Main runs it: standard output's bytes under its writer. */
    private static int bytesOf(java.io.ByteArrayOutputStream stdout, String... args) {
        picocli.CommandLine cli = RigdeskCommand.commandLine(stdout);
        cli.setOut(new java.io.PrintWriter(new java.io.OutputStreamWriter(stdout, java.nio.charset.StandardCharsets.UTF_8)));
        cli.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
        String[] all = new String[args.length + 2];
        all[0] = "--socket";
        all[1] = daemon.socket().toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return cli.execute(all);
    }

    @Test
    void wordsAreQuotedForTheGuestShell() {
        assertEquals("echo 'a b' \"x\"", ShellWords.join(List.of("echo 'a b' \"x\"")));
        assertEquals("echo 'a b' 'it'\\''s' plain", ShellWords.join(List.of("echo", "a b", "it's", "plain")));
    }

    @Test
    void askingForMoreGpusThanThePoolIsRefusedWithARemedy() {
        CliRuns.Run run = run("run", "--gpus", "2", "--", "true");
        assertEquals(RigdeskCommand.EXIT_REFUSED, run.code());
        assertTrue(run.err().contains("passthrough") && run.err().contains("rigdesk gpu mode"), run.err());
    }
}
