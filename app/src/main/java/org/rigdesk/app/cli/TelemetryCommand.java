package org.rigdesk.app.cli;

import java.util.concurrent.Callable;
import org.rigdesk.api.client.RigdeskApi;
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
        try (RigdeskApi client = parent.client()) {
            TelemetryStatus status = client.telemetry();
            java.util.List<org.rigdesk.api.wire.Gpu> gpus = json ? java.util.List.of()
                    : client.gpus();
            RigdeskCommand.print(spec, json, status, () -> TopCommand.render(gpus, status));
        }
        return 0;
    }
}
