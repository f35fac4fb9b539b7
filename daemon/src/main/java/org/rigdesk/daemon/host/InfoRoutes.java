package org.rigdesk.daemon.host;

import org.rigdesk.daemon.http.Router;

/** {@code GET /v1/info}: the daemon, the host's readiness and the job image. */
public final class InfoRoutes {

    private InfoRoutes() {
    }

    public static void register(Router router, InfoService info) {
        router.add("GET", "/v1/info", exchange -> exchange.json(200, info.info()));
    }
}
