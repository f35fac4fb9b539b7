package org.rigdesk.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.testkit.DaemonProcess;

/** {@code rigdesk runner} against a real daemon (registration itself is tested against a GitHub stand-in in the daemon). */
class RunnerCommandTest {

    @TempDir
    Path dir;

    @Test
    void statusSaysHowToRegisterAndBadInputIsRefused() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(dir).start()) {
            CliRuns.Run status = InfoCommandTest.runOn(daemon.socket(), "runner", "status");
            assertEquals(0, status.code(), status.err());
            assertTrue(status.out().contains("Not registered") && status.out().contains("--token-file"), status.out());

            CliRuns.Run missing = InfoCommandTest.runOn(daemon.socket(), "runner", "register", "--url",
                    "https://github.com/octo/gpu-ci", "--token-file", dir.resolve("none").toString());
            assertEquals(2, missing.code(), missing.err());

            Path token = Files.writeString(dir.resolve("token"), "ghp_whatever\n");
            CliRuns.Run badUrl = InfoCommandTest.runOn(daemon.socket(), "runner", "register", "--url",
                    "https://example.com/", "--token-file", token.toString());
            assertEquals(RigdeskCommand.EXIT_REFUSED, badUrl.code());
            assertTrue(badUrl.err().contains("url must look like"), badUrl.err());
        }
    }
}
