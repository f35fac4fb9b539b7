package org.rigdesk.app.cli;

import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuSample;
import org.rigdesk.api.wire.TelemetryStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rigdesk top}: a refreshing table of every GPU's load, like gpustat. */
@Command(name = "top", mixinStandardHelpOptions = true, description = "Show live GPU load, memory, temperature and power.")
public class TopCommand implements Callable<Integer> {

    @ParentCommand
    RigdeskCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--iterations"}, paramLabel = "N", description = "Stop after N refreshes (default: run until Ctrl-C).")
    Integer iterations;

    @Option(names = "--once", description = "Print one table and exit (same as -n 1).")
    boolean once;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int left = once ? 1 : iterations == null ? Integer.MAX_VALUE : iterations;
        if (left < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--iterations must be at least 1");
        }
        boolean terminal = System.console() != null && left > 1;
        try (RigdeskApi client = parent.client()) {
            for (int i = 0; i < left; i++) {
                TelemetryStatus status = client.telemetry();
                List<Gpu> gpus = client.gpus();
                if (terminal) {
                    out.print("\033[H\033[2J"); // home and clear, like top
                }
                out.print(render(gpus, status));
                out.flush();
                if (i + 1 < left) {
                    Thread.sleep(Math.max(250, status.sampleIntervalMs()));
                }
            }
        }
        return 0;
    }

    static String render(List<Gpu> gpus, TelemetryStatus status) {
        Map<String, GpuSample> samples = status.samples().stream()
                .collect(Collectors.toMap(GpuSample::bdf, Function.identity(), (a, b) -> a));
        StringBuilder text = new StringBuilder();
        text.append("rigdesk top · ").append(LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")))
                .append(" · telemetry ").append(status.state());
        if (status.reason() != null) {
            text.append(": ").append(status.reason());
        }
        text.append('\n');
        Table table = new Table("BDF", "NAME", "MODE", "UTIL", "MEMORY", "TEMP", "POWER", "FAN");
        for (Gpu gpu : gpus) {
            GpuSample sample = samples.get(gpu.bdf());
            String mode = gpu.usedBy() != null ? "job " + gpu.usedBy() : gpu.mode();
            if (sample == null || GpuSample.NONE.equals(sample.source())) {
                String why = gpu.is(GpuMode.VFIO) || gpu.usedBy() != null ? "in VM" : "n/a";
                table.row(gpu.bdf(), gpu.name(), mode, why, why, why, why, why);
                continue;
            }
            table.row(gpu.bdf(), gpu.name(), mode, percent(sample.utilizationGpu()),
                    pair(sample.memoryUsedMiB(), sample.memoryTotalMiB(), " MiB"),
                    sample.temperatureC() == null ? "n/a" : whole(sample.temperatureC()) + "°C",
                    pair(sample.powerDrawW(), sample.powerLimitW(), " W"), percent(sample.fanSpeedPct()));
        }
        return text.append(table).toString();
    }

    private static String percent(Double value) {
        return value == null ? "n/a" : whole(value) + "%";
    }

    private static String pair(Double used, Double total, String unit) {
        if (used == null) {
            return "n/a";
        }
        return whole(used) + (total == null ? "" : " / " + whole(total)) + unit;
    }

    private static String whole(double value) {
        return Long.toString(Math.round(value));
    }
}
