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
import org.rigdesk.daemon.testing.DaemonProcess;

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

    private static InfoCommandTest.Run run(String... args) {
        return InfoCommandTest.runOn(daemon.socket(), args);
    }

    @Test
    void runWithAGpuPrintsTheGuestKernelAndExitsZero() {
        InfoCommandTest.Run run = run("run", "--gpus", "1", "--cpus", "1", "--memory", "256", "--", "uname", "-a");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("Linux rigdesk-test 6.1.0"), run.out());
        assertTrue(run.out().contains("simulated"), "the demo says its GPU is simulated:\n" + run.out());
        InfoCommandTest.Run jobs = run("jobs");
        assertEquals(0, jobs.code(), jobs.err());
        assertTrue(jobs.out().contains("uname -a") && jobs.out().contains("succeeded")
                && jobs.out().contains("0000:02:00.0 (simulated)"), jobs.out());
        String id = jobs.out().lines().skip(1).filter(l -> l.contains("uname -a")).findFirst().orElseThrow().split(" ")[0];
        InfoCommandTest.Run logs = run("logs", id);
        assertTrue(logs.out().contains("Linux rigdesk-test"), logs.out());
    }

    @Test
    void theJobsExitCodeBecomesTheCommands() {
        InfoCommandTest.Run run = run("run", "--cpus", "1", "--memory", "256", "--", "sh", "-c", "echo 'quoted words'; exit 5");
        assertEquals(5, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("quoted words"), run.out());
        assertTrue(run.err().contains("failed"), run.err());
    }

    @Test
    void wordsAreQuotedForTheGuestShell() {
        assertEquals("echo 'a b' \"x\"", ShellWords.join(List.of("echo 'a b' \"x\"")));
        assertEquals("echo 'a b' 'it'\\''s' plain", ShellWords.join(List.of("echo", "a b", "it's", "plain")));
    }

    @Test
    void askingForMoreGpusThanThePoolIsRefusedWithARemedy() {
        InfoCommandTest.Run run = run("run", "--gpus", "2", "--", "true");
        assertEquals(RigdeskCommand.EXIT_REFUSED, run.code());
        assertTrue(run.err().contains("passthrough") && run.err().contains("rigdesk gpu mode"), run.err());
    }
}
