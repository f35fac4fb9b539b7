package org.rigdesk.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobList;
import org.rigdesk.api.wire.Json;
import org.rigdesk.app.format.Elapsed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rigdesk jobs}: recent jobs, newest first. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "List recent jobs.",
        subcommands = JobShowCommand.class)
public class JobsCommand implements Callable<Integer> {

    @ParentCommand
    RigdeskCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--state", description = "Only jobs in this state (queued, running, failed, …).")
    String state;

    @Option(names = {"-n", "--limit"}, defaultValue = "20", description = "How many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print the daemon's JSON answer.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (state != null && !JobState.wires().contains(state)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--state must be one of " + JobState.wires());
        }
        try (RigdeskApi client = parent.client()) {
            JobList jobs = new JobList(client.jobs(state, limit));
            if (json) {
                out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(jobs));
            } else {
                Table table = new Table("ID", "NAME", "GPUS", "VMM", "STATE", "STARTED", "ELAPSED", "EXIT");
                for (Job job : jobs.jobs()) {
                    table.row(job.id(), job.name(), job.gpus().isEmpty() ? "-"
                                    : String.join(",", job.gpus()) + (job.gpusSimulated() ? " (simulated)" : ""),
                            job.vmm(), job.state(), job.startedAt() == null ? "-" : job.startedAt().toString()
                                    .replaceFirst("\\.\\d+Z$", "Z"), Elapsed.compact(job), job.exitCode());
                }
                out.print(table);
            }
        }
        out.flush();
        return 0;
    }
}
