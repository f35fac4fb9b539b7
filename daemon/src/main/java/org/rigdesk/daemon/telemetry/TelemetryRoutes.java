package org.rigdesk.daemon.telemetry;

import org.rigdesk.api.wire.ProblemCode;
import org.rigdesk.daemon.problems.DomainException;
import java.io.IOException;
import java.util.function.Supplier;
import org.rigdesk.api.wire.ComputeProcesses;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.daemon.http.Router;
import org.rigdesk.daemon.gpu.Bdf;

/** Telemetry endpoints: latest, history, processes, the raw table, and Prometheus metrics. */
public final class TelemetryRoutes {

    private TelemetryRoutes() {
    }

    public static void register(Router router, TelemetryService telemetry, Supplier<java.util.List<Gpu>> gpus) {
        router.add("GET", "/v1/telemetry", exchange -> exchange.json(200, telemetry.status()));
        router.add("GET", "/v1/telemetry/history?gpu&seconds", exchange -> {
            String gpu = exchange.query("gpu");
            if (gpu == null) {
                throw DomainException.invalid("the gpu parameter is required, e.g. ?gpu=0000:01:00.0&seconds=300");
            }
            if (!Bdf.isValid(gpu)) {
                throw DomainException.invalid("not a PCI address: " + Bdf.printable(gpu));
            }
            int seconds = exchange.queryInt("seconds", 300, 1, 30 * 86_400);
            exchange.json(200, telemetry.history(gpu, seconds));
        });
        router.add("GET", "/v1/telemetry/processes",
                exchange -> exchange.json(200, new ComputeProcesses(telemetry.processes())));
        router.add("GET", "/v1/nvidia-smi", exchange -> {
            try {
                exchange.text(200, telemetry.table());
            } catch (IOException e) {
                throw DomainException.unavailable(ProblemCode.TELEMETRY_UNAVAILABLE, "nvidia-smi unavailable", e.getMessage(),
                        "Install the NVIDIA driver (it brings nvidia-smi), or check 'nvidia-smi' in a shell.");
            }
        });
        router.add("GET", "/metrics", exchange -> exchange.bytes(200, PrometheusText.CONTENT_TYPE,
                PrometheusText.render(gpus.get(), telemetry.status()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
