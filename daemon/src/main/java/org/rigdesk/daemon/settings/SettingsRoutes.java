package org.rigdesk.daemon.settings;

import org.rigdesk.api.wire.EventType;
import org.rigdesk.api.wire.Json;
import org.rigdesk.api.wire.Settings;
import org.rigdesk.daemon.http.ApiException;
import org.rigdesk.daemon.http.Router;
import org.rigdesk.daemon.events.EventHub;
import org.rigdesk.daemon.problems.DomainException;
import org.rigdesk.daemon.store.AuditStore;

/** {@code GET/PUT /v1/settings}: changes are audited and announced as {@code settings} events. */
public final class SettingsRoutes {

    private SettingsRoutes() {
    }

    public static void register(Router router, SettingsService settings, AuditStore audit, EventHub events) {
        router.add("GET", "/v1/settings", exchange -> exchange.json(200, settings.current()));
        router.add("PUT", "/v1/settings", exchange -> {
            String caller = exchange.peer().user();
            Settings patch;
            try {
                patch = exchange.body(Settings.class);
            } catch (ApiException | DomainException e) {
                audit.record(caller, "settings.update", null, "rejected", e.getMessage());
                throw e;
            }
            String asked = Json.mapper().writeValueAsString(patch);
            try {
                Settings now = settings.update(patch);
                audit.record(caller, "settings.update", null, "ok", asked);
                events.publish(EventType.SETTINGS, now);
                exchange.json(200, now);
            } catch (ApiException | DomainException e) {
                audit.record(caller, "settings.update", null, "rejected", e.getMessage());
                throw e;
            }
        });
    }
}
