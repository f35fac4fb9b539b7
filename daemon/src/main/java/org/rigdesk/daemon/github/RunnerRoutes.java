package org.rigdesk.daemon.github;

import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.daemon.api.Router;

/** {@code GET/PUT/DELETE /v1/runner}. */
public final class RunnerRoutes {

    private RunnerRoutes() {
    }

    public static void register(Router router, RunnerService runner) {
        router.add("GET", "/v1/runner", exchange -> exchange.json(200, runner.status()));
        router.add("PUT", "/v1/runner", exchange -> exchange.json(200,
                runner.register(exchange.body(RunnerRegistration.class), exchange.peer().user())));
        router.add("DELETE", "/v1/runner", exchange -> exchange.json(200, runner.remove(exchange.peer().user())));
    }
}
