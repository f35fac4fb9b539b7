package org.rigdesk.daemon.lending;

import org.rigdesk.api.wire.LendingRequest;
import org.rigdesk.api.wire.ReclaimRequest;
import org.rigdesk.daemon.http.Router;

/** {@code PUT /v1/gpus/{bdf}/lending} and {@code POST /v1/gpus/{bdf}/reclaim}. */
public final class LendingRoutes {

    private LendingRoutes() {
    }

    public static void register(Router router, LendingService lending) {
        router.add("PUT", "/v1/gpus/{bdf}/lending", exchange -> exchange.json(200,
                lending.setPolicy(exchange.path("bdf"), exchange.body(LendingRequest.class), exchange.peer().user())));
        router.add("POST", "/v1/gpus/{bdf}/reclaim", exchange -> {
            ReclaimRequest request = exchange.body(ReclaimRequest.class);
            exchange.json(200, lending.reclaim(exchange.path("bdf"), Boolean.TRUE.equals(request.cancelJob()),
                    exchange.peer().user()));
        });
    }
}
