package org.rigdesk.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.CacheList;
import org.rigdesk.api.wire.Json;
import org.rigdesk.app.testing.InMemoryRigdesk;

/** {@code rigdesk cache ls} and {@code rigdesk cache clear} on the in-memory daemon (CacheTest covers the daemon's side). */
class CacheCommandTest {

    @Test
    void listsAndClearsCachesAndRefusesBadNames() throws Exception {
        InMemoryRigdesk daemon = new InMemoryRigdesk();
        CliRuns.Run empty = InfoCommandTest.runOver(daemon, "cache", "ls");
        assertEquals(0, empty.code(), empty.err());
        assertTrue(empty.out().contains("No caches yet"), empty.out());
        daemon.caches.add(new org.rigdesk.api.wire.CacheInfo("models", 3L << 20, 64L << 20, null, null, null,
                java.util.List.of(), java.util.List.of()));
        CliRuns.Run listed = InfoCommandTest.runOver(daemon, "cache", "ls");
        assertTrue(listed.out().contains("models") && listed.out().contains("64.0 MiB"), listed.out());
        CacheList json = Json.mapper().readValue(InfoCommandTest.runOver(daemon, "cache", "ls", "--json").out(),
                CacheList.class);
        assertEquals(64L << 20, json.caches().get(0).capBytes());
        CliRuns.Run cleared = InfoCommandTest.runOver(daemon, "cache", "clear", "models");
        assertEquals(0, cleared.code(), cleared.err());
        CliRuns.Run gone = InfoCommandTest.runOver(daemon, "cache", "clear", "models");
        assertEquals(RigdeskCommand.EXIT_REFUSED, gone.code());
        assertTrue(gone.err().contains("no cache models"), gone.err());
        int calls = daemon.calls.size();
        CliRuns.Run bad = InfoCommandTest.runOver(daemon, "cache", "clear", "../etc");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("not a cache name"), bad.err());
        assertEquals(calls, daemon.calls.size(), "a bad name is refused before any call");
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
