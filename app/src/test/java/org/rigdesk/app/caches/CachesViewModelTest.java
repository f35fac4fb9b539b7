package org.rigdesk.app.caches;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.CacheInfo;
import org.rigdesk.api.wire.Problem;
import org.rigdesk.app.ui.Dialogs;
import org.rigdesk.app.testing.InMemoryRigdesk;

/** The Caches page's model: the list, clearing (asked first), and a refusal in words with its remedy. */
class CachesViewModelTest {

    private static CacheInfo cache(String name) {
        Instant at = Instant.parse("2026-12-02T10:00:00Z");
        return new CacheInfo(name, 1_500_000_000L, 50_000_000_000L, at, at, 12L, List.of(), List.of(
                new CacheInfo.Use(14, "discarded", "a pull_request run may read the cache, not change it", at, true,
                        2_000_000L),
                new CacheInfo.Use(12, "committed", "a trusted job that succeeded", at, false, 1_400_000_000L)));
    }

    @Test
    void listsClearsAfterAskingAndShowsARefusal() {
        InMemoryRigdesk api = new InMemoryRigdesk();
        api.caches.add(cache("hf"));
        CachesViewModel no = new CachesViewModel(api, Runnable::run, Runnable::run, Dialogs.answering(q -> false, null));
        no.reload();
        assertEquals(List.of("hf"), no.caches().stream().map(CacheInfo::name).toList());
        assertEquals("1 hit, 1 miss · 1 kept, 1 thrown away", CachesViewModel.recentWords(no.caches().get(0)));
        CacheInfo older = new CacheInfo("old", 0, 1L << 30, null, null, null, null,
                List.of(new CacheInfo.Use(3, "committed", "a trusted job that succeeded", null)));
        assertEquals("1 kept, 0 thrown away", CachesViewModel.recentWords(older), "no hit counts from before they were kept");
        assertFalse(no.clear(no.caches().get(0)));
        assertFalse(api.calls.contains("clear cache hf"), "nothing is cleared unless the person agrees");

        api.refuseNext = Problem.of(409, "cache-in-use", "Cache in use", "cache hf is in use by job 15",
                "Wait for it to finish, or cancel it (rigdesk cancel 15), then clear it.");
        CachesViewModel yes = new CachesViewModel(api, Runnable::run, Runnable::run, Dialogs.YES);
        assertTrue(yes.clear(cache("hf")));
        assertTrue(yes.statusProperty().get().contains("in use by job 15")
                && yes.statusProperty().get().contains("rigdesk cancel 15"), yes.statusProperty().get());
        assertTrue(yes.clear(cache("hf")));
        assertTrue(api.caches.isEmpty());
        assertTrue(yes.statusProperty().get().startsWith("No caches yet"), yes.statusProperty().get());
    }
}
