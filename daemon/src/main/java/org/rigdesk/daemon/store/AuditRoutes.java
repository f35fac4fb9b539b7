package org.rigdesk.daemon.store;

import org.rigdesk.api.wire.AuditLog;
import org.rigdesk.daemon.http.Router;

/** {@code GET /v1/audit?limit=N}. */
public final class AuditRoutes {

    private AuditRoutes() {
    }

    public static void register(Router router, AuditStore audit) {
        router.add("GET", "/v1/audit?limit", exchange ->
                exchange.json(200, new AuditLog(audit.latest(exchange.queryInt("limit", 100, 1, 10_000)))));
    }
}
