package org.rigdesk.daemon.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** image.json as build-runner-image.sh writes it, and what a damaged or older one reads as. */
class JobImageTest {

    @TempDir
    Path dir;

    private JobImage image(String json) throws Exception {
        for (String file : JobImage.REQUIRED) {
            Files.writeString(dir.resolve(file), "x");
        }
        Files.writeString(dir.resolve("image.json"), json);
        return JobImage.read(dir);
    }

    @Test
    void aRunnerImageWithADriverSaysWhatItHasAndLabelsGpuSlots() throws Exception {
        JobImage image = image("""
                {"flavour": "runner", "kernel": "6.1.0-57-cloud-amd64", "recipe": "ace4d7491396ec13", "runner": "from the host",
                 "distro": "ubuntu-24.04", "distroName": "Ubuntu 24.04.3 LTS", "builtAt": "2026-12-01T10:00:00Z",
                 "docker": "27.5.1", "nvidia": "NVIDIA-Linux-x86_64-580.95.05.run",
                 "driver": "580.95.05", "cuda": "13.0", "containerToolkit": true,
                 "files": {"kernel": "vmlinuz", "initramfs": "initrd.img", "rootDisk": "rootfs.ext4"}}""");
        assertTrue(image.present());
        assertEquals(List.of("nvidia-580", "cuda-13.0"), image.gpuLabels());
        assertEquals("Ubuntu 24.04.3 LTS, Docker 27.5.1, NVIDIA driver 580.95.05 (CUDA 13.0) with the container toolkit;"
                + " built 4 days ago", image.describe(Instant.parse("2026-12-06T09:00:00Z")));
        assertEquals("2026-12-01T10:00:00Z", image.wire().builtAt());
    }

    @Test
    void anImageWithoutDriverAddsNoLabelAndBadValuesReadAsUnknown() throws Exception {
        JobImage debian = image("""
                {"flavour": "runner", "distro": "debian-12", "docker": "20.10.24", "nvidia": "none", "driver": null, "cuda": null}""");
        assertEquals(List.of(), debian.gpuLabels());
        assertTrue(debian.describe(Instant.now()).startsWith("debian-12, Docker 20.10.24, no NVIDIA driver; built "),
                debian.describe(Instant.now()));
        // A label is GitHub's to match on: what is not a version never becomes one.
        JobImage odd = image("""
                {"flavour": "runner", "driver": "580; rm -rf /", "cuda": "13", "docker": "latest", "builtAt": "yesterday"}""");
        assertEquals(List.of(), odd.gpuLabels());
        assertNull(odd.docker());
        assertEquals(Files.getLastModifiedTime(dir.resolve("rootfs.ext4")).toInstant(), odd.builtAt(),
                "no time in image.json: the root disk's");
        Files.writeString(dir.resolve("image.json"), "{not json");
        assertNull(JobImage.read(dir).flavour());
        Files.delete(dir.resolve("rootfs.ext4"));
        assertFalse(JobImage.read(dir).present());
    }

    @Test
    void theOlderTestImageIsKnownByItsFlavour() throws Exception {
        JobImage test = image("""
                {"flavour": "test", "kernel": "6.1.0-57-cloud-amd64", "recipe": "x",
                 "files": {"kernel": "vmlinuz", "initramfs": "initrd.img", "rootDisk": "rootfs.ext4"}}""");
        assertTrue(test.isTest());
        assertTrue(test.describe(Instant.now()).startsWith("busybox (the test image), no Docker, no NVIDIA driver"));
    }

    @Test
    void aRebuiltImageIsReadAgain() throws Exception {
        image("{\"flavour\": \"runner\", \"driver\": \"570.1\"}");
        assertEquals(List.of("nvidia-570"), JobImage.current(dir).gpuLabels());
        Files.writeString(dir.resolve("image.json"), "{\"flavour\": \"runner\", \"driver\": \"580.95.05\"}");
        Files.setLastModifiedTime(dir.resolve("image.json"), java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals(List.of("nvidia-580"), JobImage.current(dir).gpuLabels());
    }
}
