package org.rigdesk.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.rigdesk.api.client.RigdeskApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rigdesk logs [-f] ID}. */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Print a job's log; -f follows it while it runs.")
public class LogsCommand implements Callable<Integer> {

    @ParentCommand
    RigdeskCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--follow"}, description = "Keep printing until the job ends.")
    boolean follow;

    @Option(names = "--offset", paramLabel = "BYTES", defaultValue = "0", description = "Start at this byte.")
    long offset;

    @Option(names = "--raw", description = "Write the job's output byte for byte, escape sequences included "
            + "(by default a terminal is shown them as ^[ and the like, not made to obey them).")
    boolean raw;

    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    public Integer call() throws Exception {
        if (id <= 0 || offset < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "ID and --offset must be positive");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (RigdeskApi client = parent.client()) {
            java.io.OutputStream sink = parent.jobOutput(raw);
            client.copyLog(id, offset, follow, sink);
            sink.close();
        }
        out.flush();
        return 0;
    }
}
