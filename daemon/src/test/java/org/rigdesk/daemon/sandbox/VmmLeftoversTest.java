package org.rigdesk.daemon.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.testkit.DaemonProcess;

/** What a crash leaves to a dead VMM's uid, and a state directory the VMMs cannot reach: both met at start. */
class VmmLeftoversTest {

    private static final int DEAD_VMM = VmmUsers.DEFAULT_BASE + 3;

    @TempDir
    Path dir;

    private static int uid(Path path) throws Exception {
        return (int) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    private static void chown(Path path, int uid) throws Exception {
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void filesAndVfioNodesADeadVmmHeldGoBackToRootAndNoLinkIsFollowed() throws Exception {
        Path dev = Files.createDirectories(dir.resolve("dev/vfio"));
        Path group = Files.createFile(dev.resolve("14"));
        Path container = Files.createFile(dev.resolve("vfio"));
        Path job = Files.createDirectories(dir.resolve("jobs/7/vm"));
        Path control = Files.createFile(job.resolve("../control.log").normalize());
        Path layer = Files.createFile(job.resolve("cache.img"));
        Path someonesFile = Files.writeString(dir.resolve("someones-file"), "theirs");
        chown(someonesFile, 4242);
        Path link = Files.createSymbolicLink(job.resolve("root.qcow2"), someonesFile);
        for (Path path : List.of(group, control, layer, job, link)) {
            chown(path, DEAD_VMM);
        }
        VmmSandbox sandbox = new VmmSandbox(true, "setpriv", new VmmUsers(VmmUsers.DEFAULT_BASE),
                Cgroups.detect(dir.resolve("no-cgroups"), "", false), dir.resolve("sys"), dir.resolve("dev"));

        List<Path> taken = sandbox.reclaim(dir.resolve("jobs"));

        assertEquals(5, taken.size(), taken.toString());
        for (Path path : List.of(group, control, layer, job, link)) {
            assertEquals(0, uid(path), path + " is root's again");
        }
        assertEquals(0, uid(container), "root's all along");
        assertEquals(4242, uid(someonesFile), "the link's target is not touched");
    }

    @Test
    void aStateDirectoryUnderAClosedParentIsRefusedAtStartWithThePathAndTheRemedy() throws Exception {
        // Outside the temp directory, which the test harness opens to the VMMs' users.
        Path closed = Files.createTempDirectory(Path.of("/var/tmp"), "rdt-closed-");
        try {
            Path state = closed.resolve("state");
            Process daemon = new DaemonProcess(dir.resolve("rigdeskd.sock"), state, dir.resolve("sys"), List.of())
                    .launch();
            assertTrue(daemon.waitFor(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS), "it stops at once");
            org.junit.jupiter.api.Assertions.assertNotEquals(0, daemon.exitValue(), "it refuses to start");
            String log = Files.readString(state.resolveSibling("state-rigdeskd.log"), StandardCharsets.UTF_8);
            assertTrue(log.contains(closed + " is closed to other users (no o+x)"), log);
            assertTrue(log.contains("chmod o+x each directory above " + state.resolve("jobs")), log);
        } finally {
            new ProcessBuilder("rm", "-rf", closed.toString()).start().waitFor();
        }
    }
}
