package org.rigdesk.daemon.host;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.HostCheck;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.daemon.testing.DaemonProcess;

/** A missing job image is optional to doctor until a job is asked for; then no job can run, and it says so. */
class ImageCheckTest {

    @TempDir
    Path dir;

    private static HostCheck image(DaemonClient client) throws Exception {
        return client.info().checks().stream().filter(c -> c.id().equals("image")).findFirst().orElseThrow();
    }

    @Test
    void aMissingImageIsRequiredOnceAJobIsAskedFor() throws Exception {
        Path none = Files.createDirectories(dir.resolve("no-image"));
        try (DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop").withArgs("--image", none.toString())
                .start(); DaemonClient client = daemon.client()) {
            HostCheck before = image(client);
            assertFalse(before.ok() || before.required(), before.toString());
            org.junit.jupiter.api.Assertions.assertThrows(org.rigdesk.api.client.DaemonException.class,
                    () -> client.send("POST", "/v1/jobs", new JobRequest(null, "true", IntNode.valueOf(0), 1, 256, 60,
                            null, null), Job.class), "no image, no job");
            HostCheck after = image(client);
            assertTrue(!after.ok() && after.required() && after.detail().contains("no job can run"), after.toString());
        }
    }
}
