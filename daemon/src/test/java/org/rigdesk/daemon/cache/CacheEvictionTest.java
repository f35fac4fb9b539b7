package org.rigdesk.daemon.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.AuditEntry;
import org.rigdesk.api.wire.CacheInfo;
import org.rigdesk.api.wire.CacheList;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.daemon.host.ProcessIdentity;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.daemon.testing.FakeVmms;
import org.rigdesk.daemon.testing.JobWaits;

/**
 * Whole caches go least-recently-used first when the state disk runs low, and only as many as it
 * takes: the caches live on a small tmpfs here, filled to just under the daemon's free-space floor.
 * Jobs run on the Firecracker stand-in (they only need to use a cache, not to boot).
 */
class CacheEvictionTest {

    private static final long FLOOR = 24L << 20;

    @TempDir
    Path dir;

    @Test
    void theLeastRecentlyUsedCacheGoesWhenTheDiskIsLow() throws Exception {
        assumeTrue(ProcessIdentity.isRoot(), "mounts a tmpfs for the caches");
        Path caches = Files.createDirectories(dir.resolve("state/caches"));
        run("mount", "-t", "tmpfs", "-o", "size=48m", "rigdesk-test-caches", caches.toString());
        try (DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop")
                .withArgs("--cache-min-free-gib", Double.toString(FLOOR / (double) (1L << 30)))
                .withEnv("PATH", FakeVmms.install(dir) + ":" + System.getenv("PATH"))
                .start();
             DaemonClient client = daemon.client()) {
            for (String name : List.of("old", "recent")) {
                client.send("PUT", "/v1/caches/" + name, Map.of("capBytes", 16L << 20), CacheInfo.class);
            }
            // "old" was made first but used last: "recent" is the least recently used.
            use(client, "recent");
            use(client, "old");
            long evictable = cache(client, "recent").sizeBytes();
            assertTrue(evictable > 0, "an empty cache still takes its file system's metadata");

            // Just under the floor, by less than the least recently used cache takes.
            long ballast = Files.getFileStore(caches).getUsableSpace() - FLOOR + evictable / 2;
            try (OutputStream out = Files.newOutputStream(caches.resolve("ballast"))) {
                byte[] block = new byte[1 << 16];
                for (long written = 0; written < ballast; written += block.length) {
                    out.write(block, 0, (int) Math.min(block.length, ballast - written));
                }
            }
            assertTrue(Files.getFileStore(caches).getUsableSpace() < FLOOR);

            client.send("PUT", "/v1/caches/new", Map.of("capBytes", 16L << 20), CacheInfo.class);
            assertEquals(List.of("new", "old"), client.get("/v1/caches", CacheList.class).caches().stream()
                    .map(CacheInfo::name).toList(), "only the least recently used cache made room");
            assertFalse(Files.exists(caches.resolve("recent")));
            assertTrue(client.audit(20).stream().anyMatch(e -> e.action().equals("cache.evict")
                    && e.target().equals("recent") && e.detail().contains("low on space")), "the eviction is audited");
            assertEquals(1, client.audit(50).stream().map(AuditEntry::action).filter("cache.evict"::equals).count());
        } finally {
            run("umount", "-l", caches.toString());
        }
    }

    private static void use(DaemonClient client, String cache) throws Exception {
        Job job = client.send("POST", "/v1/jobs", new JobRequest(null, "true", IntNode.valueOf(0), 1, 256, null,
                null, null, null, cache, false), Job.class);
        assertEquals(JobState.SUCCEEDED.wire(), JobWaits.finished(client, job.id(), 60).state());
    }

    private static CacheInfo cache(DaemonClient client, String name) throws Exception {
        return client.get("/v1/caches", CacheList.class).caches().stream().filter(c -> c.name().equals(name))
                .findFirst().orElseThrow();
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertEquals(0, process.waitFor(), String.join(" ", command));
    }
}
