package org.rigdesk.app.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rigdesk run -- COMMAND…}: runs a command in a fresh VM, streams its output, exits with its code. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a command in a throw-away VM (with GPUs if asked), print its output, exit with its code.")
public class RunCommand implements Callable<Integer> {

    /** Exit codes when the job has none of its own, as timeout(1) and shells use them. */
    static final int EXIT_TIMED_OUT = 124;
    static final int EXIT_CANCELLED = 130;

    @ParentCommand
    RigdeskCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--gpus", paramLabel = "N", defaultValue = "0", description = "Whole GPUs to pass through (default: 0).")
    int gpus;

    @Option(names = "--cpus", paramLabel = "N", description = "Virtual CPUs (default: 2).")
    Integer cpus;

    @Option(names = "--memory", paramLabel = "MiB", description = "Memory in MiB (default: 1024).")
    Integer memory;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop the job after this long (default: 3600).")
    Integer timeout;

    @Option(names = "--name", description = "A name for the job list (default: the command).")
    String name;

    @Option(names = "--network", description = "Give the VM a network: the internet, never the host or the LAN.")
    boolean network;

    @Option(names = "--cache", paramLabel = "NAME", description = "Mount the persistent cache NAME at /cache "
            + "(HF_HOME, TORCH_HOME, PIP_CACHE_DIR and the like point into it); what the job writes is thrown away "
            + "unless --cache-write.")
    String cache;

    @Option(names = "--cache-write", description = "If the job succeeds, keep what it wrote in the cache for the next job.")
    boolean cacheWrite;

    @Option(names = {"-d", "--detach"}, description = "Print the job id and return at once.")
    boolean detach;

    @Option(names = {"-t", "--tty"}, description = "Run the command on a terminal (the VM's serial port), as docker run -t: "
            + "programs see one (colours, progress bars) and lines end in \\r\\n. Without it the output is the bytes the "
            + "command wrote.")
    boolean tty;

    @Option(names = "--raw", description = "Write the job's output byte for byte, escape sequences included "
            + "(by default a terminal is shown them as ^[ and the like, not made to obey them).")
    boolean raw;

    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The command and its arguments (after --).")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        JobRequest counted = JobRequest.onGpuCount(name, ShellWords.join(command), gpus, cpus, memory,
                timeout, null, null, network ? Boolean.TRUE : null);
        JobRequest request = new JobRequest(counted.name(), counted.script(), counted.gpus(), counted.cpus(),
                counted.memoryMiB(), counted.timeoutSeconds(), null, null, counted.network(), cache,
                cacheWrite ? Boolean.TRUE : null, tty ? Boolean.TRUE : null);
        try (RigdeskApi client = parent.client()) {
            Job job = client.submitJob(request);
            if (detach) {
                out.println(job.id());
                out.flush();
                return 0;
            }
            spec.commandLine().getErr().println("rigdesk: job " + job.id() + " (" + job.state() + ")");
            spec.commandLine().getErr().flush();
            OutputStream sink = parent.jobOutput(raw);
            client.copyLog(job.id(), 0, true, sink);
            sink.close();
            Job done = client.job(job.id());
            return exitCodeOf(done, spec.commandLine().getErr());
        }
    }

    static int exitCodeOf(Job done, PrintWriter err) {
        if (!done.is(JobState.SUCCEEDED)) {
            err.println("rigdesk: job " + done.id() + " " + done.state()
                    + (done.error() == null ? "" : ": " + done.error()));
            err.flush();
        }
        return switch (JobState.of(done.state()).orElse(JobState.FAILED)) {
            case SUCCEEDED -> 0;
            case TIMED_OUT -> EXIT_TIMED_OUT;
            case CANCELLED -> EXIT_CANCELLED;
            default -> done.exitCode() != null && done.exitCode() != 0 ? done.exitCode() : 1;
        };
    }
}
