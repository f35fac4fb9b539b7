package org.rigdesk.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.wire.Json;
import org.rigdesk.api.wire.TelemetryStatus;
import org.rigdesk.testkit.DaemonProcess;

/** {@code rigdesk top}, {@code smi} and {@code telemetry} against the desktop demo rig's fake nvidia-smi. */
class TelemetryCommandsTest {

    @TempDir
    static Path dir;
    static DaemonProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = new DaemonProcess(dir).simulate("desktop").withArgs("--sample-interval", "250").start();
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    private static CliRuns.Run run(String... args) {
        return InfoCommandTest.runOn(daemon.socket(), args);
    }

    @Test
    void topShowsBothRtx3060sWithChangingValues() throws Exception {
        CliRuns.Run run = null;
        for (int i = 0; i < 40; i++) {
            run = run("top", "-n", "8");
            if (run.out().contains("telemetry ok") && distinctUtilisation(run.out(), "0000:01:00.0") >= 2) {
                break;
            }
            Thread.sleep(250);
        }
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("telemetry ok"), run.out());
        assertTrue(distinctUtilisation(run.out(), "0000:01:00.0") >= 2, "values change between refreshes:\n" + run.out());
        assertTrue(Pattern.compile("0000:02:00\\.0  GeForce RTX 3060  host +\\d+%").matcher(run.out()).find(), run.out());
        assertTrue(run.out().contains("AlderLake-S GT1") && run.out().contains("n/a"), "the iGPU has no sampler");
    }

    private static long distinctUtilisation(String out, String bdf) {
        Matcher m = Pattern.compile(Pattern.quote(bdf) + "  GeForce RTX 3060  host +(\\d+)%").matcher(out);
        return m.results().map(r -> r.group(1)).distinct().count();
    }

    @Test
    void smiPrintsTheTable() {
        CliRuns.Run run = run("smi");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("NVIDIA-SMI") && run.out().contains("00000000:02:00.0"), run.out());
    }

    @Test
    void telemetryJsonIsTheStatus() throws Exception {
        CliRuns.Run run = run("telemetry", "--json");
        assertEquals(0, run.code(), run.err());
        TelemetryStatus status = Json.mapper().readValue(run.out(), TelemetryStatus.class);
        assertEquals(250, status.sampleIntervalMs());
    }
}
