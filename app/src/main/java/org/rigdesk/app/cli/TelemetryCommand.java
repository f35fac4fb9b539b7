package org.rigdesk.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.GpuList;
import org.rigdesk.api.wire.Json;
import org.rigdesk.api.wire.TelemetryStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rigdesk telemetry}: the latest sample of every GPU. */
@Command(name = "telemetry", mixinStandardHelpOptions = true, description = "Show the latest telemetry sample per GPU.")
public class TelemetryCommand implements Callable<Integer> {

    @ParentCommand
    RigdeskCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the daemon's JSON answer.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (DaemonClient client = parent.client()) {
            TelemetryStatus status = client.get("/v1/telemetry", TelemetryStatus.class);
            out.print(json ? Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(status) + "\n"
                    : TopCommand.render(client.get("/v1/gpus", GpuList.class).gpus(), status));
        }
        out.flush();
        return 0;
    }
}
