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
import org.rigdesk.testkit.DaemonProcess;

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

    /** The Host page's line and /v1/info say which image, what it has and how old it is. */
    @Test
    void theImageSaysWhatItHasAndHowOldItIs() throws Exception {
        Path image = Files.createDirectories(dir.resolve("image"));
        for (String file : java.util.List.of("vmlinuz", "initrd.img", "rootfs.ext4")) {
            Files.writeString(image.resolve(file), "x");
        }
        Files.writeString(image.resolve("image.json"), """
                {"flavour": "runner", "distro": "ubuntu-24.04", "distroName": "Ubuntu 24.04.3 LTS",
                 "builtAt": "%s", "docker": "27.5.1", "driver": "580.95.05", "cuda": "13.0", "containerToolkit": true}"""
                .formatted(java.time.Instant.now().minus(java.time.Duration.ofDays(40))));
        try (DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop").withArgs("--image", image.toString())
                .start(); DaemonClient client = daemon.client()) {
            HostCheck check = image(client);
            assertTrue(check.ok(), check.toString());
            org.junit.jupiter.api.Assertions.assertEquals("runner image: Ubuntu 24.04.3 LTS, Docker 27.5.1, NVIDIA driver "
                    + "580.95.05 (CUDA 13.0) with the container toolkit; built 40 days ago; in " + image, check.detail());
            org.rigdesk.api.wire.ImageInfo info = client.info().image();
            org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("nvidia-580", "cuda-13.0"), info.gpuLabels());
            assertTrue(info.present() && info.containerToolkit() && "27.5.1".equals(info.docker()), info.toString());
        }
    }
}
