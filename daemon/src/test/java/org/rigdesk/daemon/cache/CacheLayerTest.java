package org.rigdesk.daemon.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.wire.CacheInfo;
import org.rigdesk.daemon.store.AuditStore;
import org.rigdesk.daemon.store.Database;
import org.rigdesk.daemon.store.Migrations;

/**
 * The merge against what a job (or an escaped VMM) can do to its layer and to the cache's other
 * users: the real {@code qemu-img} on real images, without a VM (what the VM writes is blocks;
 * these tests write them with {@code qemu-io}).
 */
class CacheLayerTest {

    @TempDir
    Path dir;
    Database database;
    Caches caches;

    @BeforeEach
    void open() throws Exception {
        database = Database.open(dir.resolve("rigdesk.db"), Migrations.all());
        caches = new Caches(dir.resolve("caches"), database, new AuditStore(database),
                new Caches.Config("qemu-img", "mke2fs", 0, false), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        database.close();
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + out);
        return out;
    }

    /** Writes one pattern byte over 64 KiB at 8 MiB into an image, as a guest's write lands in its layer. */
    private static void write(Path image, String format, int pattern) throws Exception {
        run("qemu-io", "-f", format, "-c", "write -P " + pattern + " 8M 64k", image.toString());
    }

    /** The byte the cache's current image holds at 8 MiB. */
    private int byteAt8MiB() throws Exception {
        Path current = currentImage();
        for (int pattern : List.of(0x11, 0x22, 0x33, 0x44, 0x00)) {
            Process read = new ProcessBuilder("qemu-io", "-r", "-f", "qcow2", "-c", "read -P " + pattern + " 8M 64k",
                    current.toString()).redirectErrorStream(true).start();
            String out = new String(read.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            read.waitFor();
            if (!out.contains("Pattern verification failed")) {
                return pattern;
            }
        }
        return -1;
    }

    private Path currentImage() throws Exception {
        try (var files = Files.list(dir.resolve("caches/models"))) {
            return files.filter(f -> f.getFileName().toString().matches("gen-\\d+\\.qcow2")).max((a, b) -> Long.compare(
                    Long.parseLong(a.getFileName().toString().replaceAll("\\D", "")),
                    Long.parseLong(b.getFileName().toString().replaceAll("\\D", "")))).orElseThrow();
        }
    }

    /** A file of the host's that a job must never see: a qcow2 image holding 0x44 at 8 MiB. */
    private Path secret() throws Exception {
        Path secret = dir.resolve("host-secret.qcow2");
        run("qemu-img", "create", "-q", "-f", "qcow2", secret.toString(), "64M");
        write(secret, "qcow2", 0x44);
        return secret;
    }

    /** The job's qcow2 layer at vm/cache.img, as JobRun makes it. */
    private Caches.Layer layer(Caches.Use use) throws Exception {
        Files.createDirectories(dir.resolve("vm"));
        return caches.layer(use, dir.resolve("vm/cache.img"), true);
    }

    private CacheInfo.Use use(long job) {
        return caches.list().get(0).recent().stream().filter(u -> u.jobId() == job).findFirst().orElseThrow();
    }

    @Test
    void ofTwoJobsOnOneGenerationTheFirstCommitsAndTheSecondIsToldAnotherCommittedFirst() throws Exception {
        Caches.Use a = caches.open("models", 1, true);
        Caches.Use b = caches.open("models", 2, true);
        Files.createDirectories(dir.resolve("vm"));
        Caches.Layer layerA = caches.layer(a, dir.resolve("vm/a.img"), true);
        Caches.Layer layerB = caches.layer(b, dir.resolve("vm/b.img"), false); // cloud-hypervisor's raw copy
        write(layerA.path(), "qcow2", 0x11);
        write(layerB.path(), "raw", 0x22);

        assertTrue(caches.close(a, layerA, true, "trusted").contains("kept for the next job"));
        String second = caches.close(b, layerB, true, "trusted");

        assertEquals("rigdesk: cache models: another job committed first (job 1); this job's changes were thrown away",
                second);
        assertEquals(0x11, byteAt8MiB(), "exactly the first job's writes");
        assertEquals("discarded", use(2).outcome());
        assertEquals("another job committed first (job 1)", use(2).reason());
        assertEquals(1L, caches.list().get(0).lastCommitJob());
        assertEquals("gen-1.qcow2", currentImage().getFileName().toString());
        try (var files = Files.list(dir.resolve("caches/models"))) {
            assertEquals(List.of("gen-1.qcow2"), files.map(f -> f.getFileName().toString()).toList(),
                    "the generation nobody uses any more is gone");
        }

        Caches.Use c = caches.open("models", 3, true);
        Caches.Layer layerC = caches.layer(c, dir.resolve("vm/c.img"), true);
        write(layerC.path(), "qcow2", 0x33);
        assertTrue(caches.close(c, layerC, true, "trusted").contains("kept"), "a job on the new generation commits");
        assertEquals(0x33, byteAt8MiB());
    }

    @Test
    void aLinkInPlaceOfTheLayerIsRefusedAndRootCopiesNothing() throws Exception {
        Path secret = secret();
        Caches.Use use = caches.open("models", 1, true);
        Caches.Layer layer = layer(use);
        Files.delete(layer.path());
        Files.createSymbolicLink(layer.path(), secret);

        String line = caches.close(use, layer, true, "trusted");

        assertTrue(line.contains("replaced by a symbolic link") && line.contains("thrown away"), line);
        assertEquals(0x00, byteAt8MiB(), "the cache holds nothing of the secret");
        assertTrue(Files.exists(secret), "the link's target is left alone");
        assertFalse(Files.exists(layer.path(), java.nio.file.LinkOption.NOFOLLOW_LINKS), "the link is removed");
    }

    @Test
    void aLayerWithANameOutsideTheJobsDirectoryIsRefusedAndOneInsideIsNot() throws Exception {
        Caches.Use use = caches.open("models", 1, true);
        Files.createDirectories(dir.resolve("vm/jail"));
        Caches.Layer layer = caches.layer(use, dir.resolve("vm/cache.img"), true);
        Files.createLink(dir.resolve("vm/jail/cache.img"), layer.path()); // a jailed Firecracker's link
        Files.createLink(dir.resolve("elsewhere.img"), layer.path());

        String line = caches.close(use, layer, true, "trusted");

        assertTrue(line.contains("has other names (hard links)"), line);
        Files.delete(dir.resolve("elsewhere.img"));
        Caches.Use next = caches.open("models", 2, true);
        Caches.Layer jailed = caches.layer(next, dir.resolve("vm/cache.img"), true);
        Files.delete(dir.resolve("vm/jail/cache.img"));
        Files.createLink(dir.resolve("vm/jail/cache.img"), jailed.path());
        assertTrue(caches.close(next, jailed, true, "trusted").contains("kept"), "the jail's link is the job's own");
    }

    @Test
    void aLayerWhoseHeaderNamesAnotherBackingFileIsMergedOverItsOwnGeneration() throws Exception {
        Path secret = secret();
        Caches.Use use = caches.open("models", 1, true);
        Caches.Layer layer = layer(use);
        // What an escaped VMM can do to the file it owns: point its header elsewhere.
        run("qemu-img", "rebase", "-u", "-f", "qcow2", "-F", "qcow2", "-b", secret.toString(), layer.path().toString());

        assertTrue(caches.close(use, layer, true, "trusted").contains("kept"));
        assertEquals(0x00, byteAt8MiB(), "read through the generation we named, not the header's file");
    }

    @Test
    void aLayerWithAnExternalDataFileIsRefused() throws Exception {
        Caches.Use use = caches.open("models", 1, true);
        Caches.Layer layer = layer(use);
        Files.delete(layer.path());
        run("qemu-img", "create", "-q", "-f", "qcow2", "-o", "data_file=" + dir.resolve("host-file.raw"),
                layer.path().toString(), "64M");

        String line = caches.close(use, layer, true, "trusted");

        assertTrue(line.contains("names an external data file"), line);
        assertEquals("gen-0.qcow2", currentImage().getFileName().toString());
    }
}
