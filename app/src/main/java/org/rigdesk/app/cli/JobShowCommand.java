package org.rigdesk.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobNetwork;
import org.rigdesk.api.wire.Json;
import org.rigdesk.app.format.ByteSize;
import org.rigdesk.app.format.Elapsed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rigdesk jobs show N [--network]}: one job, and where its VM went on the network. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show one job; --network: its egress log.")
public class JobShowCommand implements Callable<Integer> {

    @ParentCommand
    JobsCommand jobs;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The job's id (see 'rigdesk jobs').")
    long id;

    @Option(names = "--network", description = "Its network: destinations with bytes, refused attempts, DNS names.")
    boolean network;

    @Option(names = "--json", description = "Print the daemon's JSON answer (the job, or with --network its log).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (id <= 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a job id is a positive number");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (RigdeskApi client = jobs.parent.client()) {
            Job job = client.job(id);
            JobNetwork log = network ? client.jobNetwork(id) : null;
            if (json) {
                out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(network ? log : job));
            } else {
                describe(job, out);
                if (network) {
                    egress(log, out);
                }
            }
        }
        out.flush();
        return 0;
    }

    private static void describe(Job job, PrintWriter out) {
        out.println("job " + job.id() + "  " + job.state() + (job.exitCode() == null ? "" : "  exit " + job.exitCode())
                + "  " + Elapsed.compact(job));
        out.println("  name     " + job.name());
        out.println("  vm       " + (job.vmm() == null ? "-" : job.vmm()) + ", " + job.cpus() + " vCPU, "
                + job.memoryMiB() + " MiB" + (job.gpus().isEmpty() ? "" : ", GPUs " + String.join(", ", job.gpus())));
        if (job.error() != null) {
            out.println("  reason   " + job.error());
        }
        if (job.repository() != null) {
            out.println("  github   " + job.repository() + " / " + job.workflow() + " / " + job.jobName());
        }
    }

    private static void egress(JobNetwork log, PrintWriter out) {
        out.println();
        if (!log.enabled()) {
            out.println("no network: the job's VM had no network card (rigdesk run --network gives one)");
            return;
        }
        out.println("network  " + log.address() + " via " + log.gateway() + " (its resolver too); egress "
                + (log.egress() == null ? "open" : log.egress()));
        out.println();
        Table flows = new Table("DESTINATION", "PORT", "PROTO", "NAME", "PACKETS", "BYTES");
        log.flows().forEach(f -> flows.row(f.address(), f.port(), f.protocol(), f.name() == null ? "-" : f.name(),
                f.packets(), ByteSize.human(f.bytes())));
        out.print(log.flows().isEmpty() ? "no traffic out\n" : flows.toString());
        out.println();
        Table refused = new Table("REFUSED", "PORT", "PROTO", "NAME", "ATTEMPTS", "RULE");
        log.refused().forEach(r -> refused.row(r.address(), r.port(), r.protocol(), r.name() == null ? "-" : r.name(),
                r.attempts(), r.rule() == null ? "-" : r.rule()));
        out.print(log.refused().isEmpty() ? "nothing refused\n" : refused.toString());
        if ("audit".equals(log.egress())) {
            out.println();
            Table unlisted = new Table("NOT ON THE LIST", "PORT", "PROTO", "NAME", "ATTEMPTS");
            log.unlisted().forEach(r -> unlisted.row(r.address(), r.port(), r.protocol(),
                    r.name() == null ? "-" : r.name(), r.attempts()));
            out.print(log.unlisted().isEmpty() ? "everything was on the allow-list\n" : unlisted.toString());
        }
        out.println();
        Table dns = new Table("DNS NAME", "TYPE", "ANSWER");
        log.dns().forEach(l -> dns.row(l.name(), l.type(), l.error() != null ? l.error()
                : l.answers().isEmpty() ? "(none)" : String.join(" ", l.answers())));
        out.print(log.dns().isEmpty() ? "no DNS lookups\n" : dns.toString());
    }

}
