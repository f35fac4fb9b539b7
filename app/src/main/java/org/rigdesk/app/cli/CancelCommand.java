package org.rigdesk.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.wire.Job;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rigdesk cancel ID}: graceful powerdown, then the VM is stopped after a grace period. */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a queued or running job.")
public class CancelCommand implements Callable<Integer> {

    @ParentCommand
    RigdeskCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (RigdeskApi client = parent.client()) {
            Job job = client.cancelJob(id);
            out.println("job " + job.id() + ": " + job.state());
        }
        out.flush();
        return 0;
    }
}
