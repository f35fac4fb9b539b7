package org.rigdesk.app.caches;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.rigdesk.api.client.DaemonException;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.wire.CacheInfo;
import org.rigdesk.app.ui.Dialogs;

/** The Caches page: every persistent cache, what recent jobs did with it, and Clear. */
public class CachesViewModel {

    private final RigdeskApi client;
    private final Executor background;
    private final Executor ui;
    private final Dialogs dialogs;
    private final ObservableList<CacheInfo> caches = FXCollections.observableArrayList();
    private final SimpleStringProperty status = new SimpleStringProperty("");

    public CachesViewModel(RigdeskApi client, Executor background, Executor ui, Dialogs dialogs) {
        this.client = client;
        this.background = background;
        this.ui = ui;
        this.dialogs = dialogs;
    }

    public void reload() {
        background.execute(() -> {
            try {
                List<CacheInfo> now = client.caches();
                ui.execute(() -> {
                    caches.setAll(now);
                    status.set(now.isEmpty() ? "No caches yet: a job with a cache (rigdesk run --cache NAME "
                            + "--cache-write, or a runner job) makes one." : "");
                });
            } catch (IOException e) {
                ui.execute(() -> status.set("Cannot list the caches: " + e.getMessage()));
            }
        });
    }

    /** Asks first (with the size it frees), then clears; a cache in use is refused with the job to wait for. */
    public boolean clear(CacheInfo cache) {
        boolean go = dialogs.confirm(new Dialogs.Confirmation("confirm-clear-cache", "Clear cache " + cache.name() + "?",
                "Its " + org.rigdesk.app.format.ByteSize.human(cache.sizeBytes()) + " are deleted; the next job that "
                        + "names it starts empty and downloads again.", "Clear cache", "Keep it"));
        if (!go) {
            return false;
        }
        background.execute(() -> {
            try {
                client.clearCache(cache.name());
                ui.execute(this::reload);
            } catch (DaemonException e) {
                ui.execute(() -> status.set(e.getMessage() + (e.problem().remedy() == null ? ""
                        : " — " + e.problem().remedy())));
            } catch (IOException e) {
                ui.execute(() -> status.set("Could not reach the daemon: " + e.getMessage()));
            }
        });
        return true;
    }

    /**
     * "2 hits, 1 miss · 1 kept, 2 thrown away" over the recent jobs: a hit found what an earlier job
     * kept, a miss started on an empty cache (it downloaded what it needed).
     */
    public static String recentWords(CacheInfo cache) {
        long kept = cache.recent().stream().filter(u -> "committed".equals(u.outcome())).count();
        long dropped = cache.recent().stream().filter(u -> "discarded".equals(u.outcome())).count();
        long running = cache.recent().stream().filter(u -> "running".equals(u.outcome())).count();
        String outcomes = kept + " kept, " + dropped + " thrown away" + (running == 0 ? "" : ", " + running + " running");
        long hits = cache.hits();
        long misses = cache.misses();
        if (hits + misses == 0) {
            return outcomes;
        }
        return plural(hits, "hit", "hits") + ", " + plural(misses, "miss", "misses") + " · " + outcomes;
    }

    private static String plural(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    public ObservableList<CacheInfo> caches() {
        return caches;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status;
    }
}
