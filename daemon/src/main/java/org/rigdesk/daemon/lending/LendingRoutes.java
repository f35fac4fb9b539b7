package org.rigdesk.daemon.lending;

import org.rigdesk.api.wire.LendingRequest;
import org.rigdesk.api.wire.ReclaimRequest;
import org.rigdesk.daemon.gpu.Bdf;
import org.rigdesk.daemon.http.Router;
import org.rigdesk.daemon.vfio.VfioService;

/** {@code PUT /v1/gpus/{bdf}/lending} and {@code POST /v1/gpus/{bdf}/reclaim}. */
public final class LendingRoutes {

    private LendingRoutes() {
    }

    public static void register(Router router, LendingService lending, VfioService vfio) {
        router.add("PUT", "/v1/gpus/{bdf}/lending", exchange -> {
            String caller = exchange.peer().user();
            Bdf bdf = vfio.address(exchange.path("bdf"), "gpu.lending", caller);
            exchange.json(200, lending.setPolicy(bdf, exchange.body(LendingRequest.class), caller));
        });
        router.add("POST", "/v1/gpus/{bdf}/reclaim", exchange -> {
            String caller = exchange.peer().user();
            Bdf bdf = vfio.address(exchange.path("bdf"), "gpu.reclaim", caller);
            ReclaimRequest request = exchange.body(ReclaimRequest.class);
            exchange.json(200, lending.reclaim(bdf, Boolean.TRUE.equals(request.cancelJob()), caller));
        });
    }
}
