package org.rigdesk.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.rigdesk.api.client.RigdeskApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rigdesk smi}: the host's plain nvidia-smi table, as the daemon sees it. */
@Command(name = "smi", mixinStandardHelpOptions = true, description = "Print the host's nvidia-smi table.")
public class SmiCommand implements Callable<Integer> {

    @ParentCommand
    RigdeskCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (RigdeskApi client = parent.client()) {
            out.print(client.nvidiaSmi());
        }
        out.flush();
        return 0;
    }
}
