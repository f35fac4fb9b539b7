package org.rigdesk.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.wire.CacheList;
import org.rigdesk.api.wire.Json;
import org.rigdesk.testkit.DaemonProcess;

/** {@code rigdesk cache ls} and {@code rigdesk cache clear} against a real daemon. */
class CacheCommandTest {

    @TempDir
    Path dir;

    @Test
    void listsMakesAndClearsCachesAndRefusesBadNames() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(dir).start()) {
            InfoCommandTest.Run empty = InfoCommandTest.runOn(daemon.socket(), "cache", "ls");
            assertEquals(0, empty.code(), empty.err());
            assertTrue(empty.out().contains("No caches yet"), empty.out());
            try (var client = daemon.client()) {
                client.send("PUT", "/v1/caches/models", java.util.Map.of("capBytes", 64L << 20),
                        org.rigdesk.api.wire.CacheInfo.class);
            }
            InfoCommandTest.Run listed = InfoCommandTest.runOn(daemon.socket(), "cache", "ls");
            assertTrue(listed.out().contains("models") && listed.out().contains("64.0 MiB"), listed.out());
            CacheList json = Json.mapper().readValue(InfoCommandTest.runOn(daemon.socket(), "cache", "ls", "--json").out(),
                    CacheList.class);
            assertEquals(64L << 20, json.caches().get(0).capBytes());
            InfoCommandTest.Run cleared = InfoCommandTest.runOn(daemon.socket(), "cache", "clear", "models");
            assertEquals(0, cleared.code(), cleared.err());
            InfoCommandTest.Run gone = InfoCommandTest.runOn(daemon.socket(), "cache", "clear", "models");
            assertEquals(RigdeskCommand.EXIT_REFUSED, gone.code());
            assertTrue(gone.err().contains("no cache models"), gone.err());
            InfoCommandTest.Run bad = InfoCommandTest.runOn(daemon.socket(), "cache", "clear", "../etc");
            assertEquals(2, bad.code());
            assertTrue(bad.err().contains("not a cache name"), bad.err());
        }
    }

    @Test
    void showsHitsAndWhatEachJobWrote() {
        java.time.Instant at = java.time.Instant.parse("2026-12-02T10:00:00Z");
        String table = CacheCommand.render(new CacheList(java.util.List.of(new org.rigdesk.api.wire.CacheInfo("hf",
                1L << 30, 50L << 30, at, at, 7L, java.util.List.of(), java.util.List.of(
                        new org.rigdesk.api.wire.CacheInfo.Use(9, "discarded", "pull_request", at, true, 4096L),
                        new org.rigdesk.api.wire.CacheInfo.Use(7, "committed", "push", at, false, 1L << 30))))));
        assertTrue(table.contains("HITS") && table.contains(" 1/2 "), table);
        assertTrue(table.contains("9 hit discarded 4.0 KiB") && table.contains("7 miss committed 1.0 GiB"), table);
    }
}
