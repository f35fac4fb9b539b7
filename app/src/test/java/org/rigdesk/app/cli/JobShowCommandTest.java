package org.rigdesk.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.testkit.DaemonProcess;

/** {@code rigdesk jobs show N [--network]} against the real daemon. */
class JobShowCommandTest {

    @TempDir
    Path dir;

    @Test
    void showsAJobAndSaysWhenItHadNoNetwork() throws Exception {
        DaemonProcess.requireTestImage();
        try (DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop").start()) {
            InfoCommandTest.Run started = InfoCommandTest.runOn(daemon.socket(), "run", "--", "echo", "hi");
            assertEquals(0, started.code(), started.err());
            InfoCommandTest.Run show = InfoCommandTest.runOn(daemon.socket(), "jobs", "show", "1", "--network");
            assertEquals(0, show.code(), show.err());
            assertTrue(show.out().startsWith("job 1  succeeded  exit 0"), show.out());
            assertTrue(show.out().contains("no network: the job's VM had no network card"), show.out());
            InfoCommandTest.Run json = InfoCommandTest.runOn(daemon.socket(), "jobs", "show", "1", "--network", "--json");
            assertTrue(json.out().contains("\"enabled\" : false"), json.out());
            InfoCommandTest.Run missing = InfoCommandTest.runOn(daemon.socket(), "jobs", "show", "99");
            assertNotEquals(0, missing.code());
            assertTrue(missing.err().contains("no job 99"), missing.err());
        }
    }
}
