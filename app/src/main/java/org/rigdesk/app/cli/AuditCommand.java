package org.rigdesk.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.wire.AuditEntry;
import org.rigdesk.api.wire.AuditLog;
import org.rigdesk.api.wire.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rigdesk audit}: the latest changes, who asked for them and how they ended. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Show the latest changes and refusals.")
public class AuditCommand implements Callable<Integer> {

    @ParentCommand
    RigdeskCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--limit"}, defaultValue = "20", description = "How many entries (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print the daemon's JSON answer.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (limit < 1 || limit > 10_000) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be 1 to 10000");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (RigdeskApi client = parent.client()) {
            AuditLog log = new AuditLog(client.audit(limit));
            if (json) {
                out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(log));
            } else {
                Table table = new Table("TIME", "CALLER", "ACTION", "TARGET", "OUTCOME", "DETAIL");
                for (AuditEntry entry : log.entries()) {
                    table.row(entry.at().toString().replaceFirst("\\.\\d+Z$", "Z"), entry.caller(), entry.action(),
                            entry.target(), entry.outcome(), entry.detail());
                }
                out.print(table);
            }
        }
        out.flush();
        return 0;
    }
}
