package org.rigdesk.daemon.telemetry;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuSample;
import org.rigdesk.api.wire.TelemetryStatus;

/**
 * {@code GET /metrics} in the Prometheus text exposition format (0.0.4). GPU gauges use
 * dcgm-exporter's names so existing dashboards work; each carries bdf, name and mode labels.
 */
public final class PrometheusText {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private record Gauge(String name, String help, Function<GpuSample, Double> value) {
    }

    private static final List<Gauge> GAUGES = List.of(
            new Gauge("DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).", GpuSample::utilizationGpu),
            new Gauge("DCGM_FI_DEV_MEM_COPY_UTIL", "Memory utilization (in %).", GpuSample::utilizationMemory),
            new Gauge("DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB).", GpuSample::memoryUsedMiB),
            new Gauge("DCGM_FI_DEV_FB_FREE", "Framebuffer memory free (in MiB).", s ->
                    s.memoryTotalMiB() == null || s.memoryUsedMiB() == null ? null
                            : s.memoryTotalMiB() - s.memoryUsedMiB()),
            new Gauge("DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C).", GpuSample::temperatureC),
            new Gauge("DCGM_FI_DEV_POWER_USAGE", "Power draw (in W).", GpuSample::powerDrawW),
            new Gauge("DCGM_FI_DEV_SM_CLOCK", "SM clock frequency (in MHz).", GpuSample::smClockMHz),
            new Gauge("DCGM_FI_DEV_FAN_SPEED", "Fan speed (in %).", GpuSample::fanSpeedPct),
            new Gauge("rigdesk_gpu_power_limit_watts", "Enforced power limit (in W).", GpuSample::powerLimitW),
            new Gauge("rigdesk_gpu_sample_age_seconds", "Age of the latest sample.",
                    s -> s.ageMs() == null ? null : s.ageMs() / 1000.0));

    private PrometheusText() {
    }

    public static String render(List<Gpu> gpus, TelemetryStatus status) {
        Map<String, Gpu> byBdf = gpus.stream().collect(Collectors.toMap(Gpu::bdf, g -> g, (a, b) -> a));
        StringBuilder out = new StringBuilder(4096);
        header(out, "rigdesk_telemetry_up", "1 when nvidia-smi sampling works, 0 when it is unavailable.");
        out.append("rigdesk_telemetry_up ").append(TelemetryStatus.OK.equals(status.state()) ? 1 : 0).append('\n');
        header(out, "rigdesk_gpu_info", "One series per GPU, labelled with its address, name, mode and driver.");
        for (Gpu gpu : gpus) {
            out.append("rigdesk_gpu_info{bdf=\"").append(escape(gpu.bdf())).append("\",name=\"")
                    .append(escape(gpu.name())).append("\",mode=\"").append(escape(gpu.mode()))
                    .append("\",driver=\"").append(escape(gpu.driver() == null ? "" : gpu.driver()))
                    .append("\"} 1\n");
        }
        for (Gauge gauge : GAUGES) {
            header(out, gauge.name(), gauge.help());
            for (GpuSample sample : status.samples()) {
                Double value = GpuSample.NONE.equals(sample.source()) ? null : gauge.value().apply(sample);
                if (value == null) {
                    continue;
                }
                Gpu gpu = byBdf.get(sample.bdf());
                out.append(gauge.name()).append("{bdf=\"").append(escape(sample.bdf())).append("\",name=\"")
                        .append(escape(gpu != null ? gpu.name() : sample.name() == null ? "" : sample.name()))
                        .append("\",mode=\"").append(escape(gpu != null ? gpu.mode() : org.rigdesk.api.wire.GpuMode.HOST.wire()))
                        .append("\",source=\"").append(escape(sample.source())).append("\"} ")
                        .append(number(value)).append('\n');
            }
        }
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
    }

    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }
}
