package org.rigdesk.daemon.runner;

import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerTestJob;
import org.rigdesk.daemon.http.Router;

/** {@code GET/PUT/DELETE /v1/runner}, {@code POST /v1/runner/pause|resume|test-job}. */
public final class RunnerRoutes {

    private RunnerRoutes() {
    }

    public static void register(Router router, RunnerService runner) {
        router.add("GET", "/v1/runner", exchange -> exchange.json(200, runner.status()));
        router.add("PUT", "/v1/runner", exchange -> exchange.json(200,
                runner.register(exchange.body(RunnerRegistration.class), exchange.peer().user())));
        router.add("DELETE", "/v1/runner", exchange -> exchange.json(200, runner.remove(exchange.peer().user())));
        router.add("POST", "/v1/runner/pause", exchange -> exchange.json(200,
                runner.setPaused(true, exchange.peer().user())));
        router.add("POST", "/v1/runner/resume", exchange -> exchange.json(200,
                runner.setPaused(false, exchange.peer().user())));
        router.add("POST", "/v1/runner/release?file&version&sha256", exchange -> exchange.json(200,
                runner.useTarball(exchange.bodyStream(), exchange.query("file"), exchange.query("version"),
                        exchange.query("sha256"), exchange.peer().user())));
        router.add("POST", "/v1/runner/test-job", exchange -> exchange.json(202,
                runner.testJob(exchange.body(RunnerTestJob.class), exchange.peer().user())));
    }
}
