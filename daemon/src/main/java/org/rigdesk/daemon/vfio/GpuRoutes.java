package org.rigdesk.daemon.vfio;

import org.rigdesk.api.wire.GpuMode;

import org.rigdesk.api.wire.ModeRequest;
import org.rigdesk.daemon.http.Exchange;
import org.rigdesk.daemon.http.Router;
import org.rigdesk.daemon.gpu.Bdf;
import org.rigdesk.daemon.problems.DomainException;

/**
 * {@code GET /v1/gpus}, {@code GET /v1/gpus/{bdf}}, {@code PUT /v1/gpus/{bdf}/mode}; the toggle
 * goes through {@code toggle}, which keeps the card's lending policy in step with it.
 */
public final class GpuRoutes {

    /** The toggle as the API offers it. */
    public interface Toggle {
        org.rigdesk.api.wire.Gpu setMode(Bdf bdf, GpuMode mode, String caller);
    }

    private GpuRoutes() {
    }

    public static void register(Router router, VfioService gpus, Toggle toggle) {
        router.add("GET", "/v1/gpus", exchange -> exchange.bytes(200, "application/json",
                gpus.listJson(Exchange::serialise)));
        router.add("GET", "/v1/gpus/{bdf}", exchange -> {
            Bdf bdf = Bdf.fromRequest(exchange.path("bdf"));
            exchange.json(200, gpus.get(bdf.value()).orElseThrow(
                    () -> DomainException.notFound("no GPU at " + bdf + "; GET /v1/gpus lists them")));
        });
        router.add("POST", "/v1/gpus/{bdf}/check?reset", exchange -> {
            Bdf bdf = Bdf.fromRequest(exchange.path("bdf"));
            String reset = exchange.query("reset");
            if (reset != null && !reset.equals("true") && !reset.equals("false")) {
                throw DomainException.invalid("reset is true or false, not '" + reset + "'");
            }
            exchange.json(200, gpus.check(bdf, "true".equals(reset), exchange.peer().user()));
        });
        router.add("PUT", "/v1/gpus/{bdf}/mode", exchange -> {
            String caller = exchange.peer().user();
            ModeRequest request = exchange.body(ModeRequest.class);
            VfioService.ModeChange change = gpus.parseModeChange(exchange.path("bdf"), request.mode(), caller);
            exchange.json(200, toggle.setMode(change.bdf(), change.mode(), caller));
        });
    }
}
