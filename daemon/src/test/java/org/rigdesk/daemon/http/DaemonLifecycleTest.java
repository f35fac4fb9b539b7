package org.rigdesk.daemon.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.Info;
import org.rigdesk.testkit.DaemonProcess;

/** The daemon's life as a process: start, refuse a twin, replace a stale socket, stop on SIGTERM. */
class DaemonLifecycleTest {

    @TempDir
    Path dir;

    @Test
    void sigtermStopsCleanlyAndRemovesTheSocket() throws Exception {
        DaemonProcess daemon = new DaemonProcess(dir).start();
        assertTrue(Files.exists(daemon.socket()));
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(daemon.socket())));
        int exit = daemon.stop();
        assertTrue(exit == 0 || exit == 143, "exit code after SIGTERM was " + exit);
        assertFalse(Files.exists(daemon.socket()), "socket file left behind:\n" + daemon.log());
    }

    @Test
    void secondDaemonOnTheSameSocketRefusesWhileTheFirstAnswers() throws Exception {
        try (DaemonProcess first = new DaemonProcess(dir).start()) {
            DaemonProcess second = new DaemonProcess(first.socket(), dir.resolve("state2"), first.sysfsRoot(),
                    java.util.List.of());
            Process process = second.launch();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "second daemon did not exit");
            assertEquals(1, process.exitValue());
            assertTrue(second.log().contains("another rigdeskd is already serving"), second.log());
            assertFalse(Files.exists(dir.resolve("state2").resolve("rigdesk.db")),
                    "the refused daemon must not have created a database");
            try (DaemonClient client = first.client()) {
                assertEquals(first.process().pid(), client.info().pid(), "the first daemon still answers");
            }
        }
    }

    @Test
    void aStartThatFailsLateStopsWhatItHadStarted() throws Exception {
        DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop");
        // Where the runner releases are kept is a file: the start fails after telemetry has
        // started its nvidia-smi sampler (a child process that outlives a JVM that forgets it).
        Files.createDirectories(daemon.stateDir());
        Files.writeString(daemon.stateDir().resolve("runner-releases"), "not a directory");
        Process process = daemon.launch();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the daemon did not exit:\n" + daemon.log());
        assertEquals(1, process.exitValue(), daemon.log());
        assertTrue(daemon.log().contains("cannot keep actions runner releases"), daemon.log());
        String stateDir = daemon.stateDir().toString();
        java.util.List<String> left = ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse("")).filter(line -> line.contains(stateDir)).toList();
        assertEquals(java.util.List.of(), left, "processes the failed start left running");
        assertFalse(Files.exists(daemon.socket()), "a failed start leaves no socket");
    }

    @Test
    void staleSocketFileIsReplaced() throws Exception {
        Path socket = dir.resolve("rigdeskd.sock");
        // A socket file nobody listens on: what a crashed daemon leaves.
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket));
        try (DaemonProcess daemon = new DaemonProcess(dir).start(); DaemonClient client = daemon.client()) {
            Info info = client.info();
            assertEquals(daemon.process().pid(), info.pid());
            assertTrue(daemon.log().contains("removed stale socket"), daemon.log());
        }
    }

    @Test
    void restartAfterKillNineComesUpOnTheSameSocketAndDatabase() throws Exception {
        DaemonProcess daemon = new DaemonProcess(dir).start();
        daemon.kill();
        assertTrue(Files.exists(daemon.socket()), "SIGKILL leaves the socket file");
        try (DaemonProcess again = new DaemonProcess(dir).start(); DaemonClient client = again.client()) {
            assertEquals(again.process().pid(), client.info().pid());
            // Both runs log to the same file: the migration line must appear once, from the first start.
            assertEquals(1, again.log().split("schema migrated to version 1 ", -1).length - 1,
                    "the second start must not migrate again:\n" + again.log());
        }
    }
}
