package org.rigdesk.app.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.wire.GitHubApp;
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerRelease;
import org.rigdesk.api.wire.RunnerStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rigdesk runner register|status|pause|resume|remove|use-tarball|test-job}. */
@Command(name = "runner", mixinStandardHelpOptions = true, description = "Register this workstation as a GitHub runner host.",
        subcommands = {RunnerCommand.Register.class, RunnerCommand.Status.class, RunnerCommand.Pause.class,
                RunnerCommand.Resume.class, RunnerCommand.Remove.class, RunnerCommand.UseTarball.class,
                RunnerCommand.TestJob.class})
public class RunnerCommand {

    @ParentCommand
    RigdeskCommand parent;

    /** The runner the VMs get: "actions runner 2.330.0, published 3 days ago (current)" and what to do. */
    static String release(RunnerRelease release) {
        if (release == null) {
            return "actions runner: unknown\n";
        }
        StringBuilder line = new StringBuilder("actions runner: ");
        if (release.version() == null) {
            line.append("none yet (").append(release.state()).append(')');
        } else {
            line.append(release.version());
            if (release.publishedAt() != null) {
                long days = java.time.Duration.between(release.publishedAt(), java.time.Instant.now()).toDays();
                line.append(", published ").append(days == 0 ? "today" : days == 1 ? "a day ago" : days + " days ago");
            }
            line.append(" (").append(release.state()).append(')');
        }
        if (release.detail() != null) {
            line.append(RunnerRelease.CURRENT.equals(release.state()) ? " — " : "\n  ⚠ ").append(release.detail());
        }
        return line.append('\n').toString();
    }

    static String render(RunnerStatus status) {
        if (!status.registered()) {
            return "Not registered. Register with: rigdesk runner register --url https://github.com/OWNER/REPO "
                    + "--token-file FILE (or --app-id ID --app-key FILE)\n" + release(status.runnerRelease());
        }
        String signIn = "app".equals(status.signIn()) ? "GitHub App " + status.appId() + ", installation "
                + status.installationId() : "token " + status.tokenHint();
        StringBuilder text = new StringBuilder()
                .append("Registered for ").append(status.scope()).append(" (").append(signIn)
                .append(")\nrunner group: ").append(status.runnerGroup() != null ? status.runnerGroup() + " ("
                        + status.runnerGroupId() + ")" : status.runnerGroupId() == 1 ? "Default (1)" : status.runnerGroupId())
                .append('\n').append(release(status.runnerRelease()))
                .append("labels: ").append(String.join(", ", status.labels()))
                .append("\nslots: ").append(status.gpuSlots()).append(" GPU, ").append(status.cpuSlots()).append(" CPU, ")
                .append(status.slotCpus()).append(" vCPU and ").append(status.slotMemoryMiB()).append(" MiB each — ")
                .append(status.pool())
                .append("\nlast GitHub contact: ").append(status.lastApiContact() == null ? "never" : status.lastApiContact())
                .append(", rate limit left: ").append(status.rateLimitRemaining() == null ? "?" : status.rateLimitRemaining())
                .append(status.github() == null ? "" : "\nGitHub: " + status.github())
                .append("\negress: ").append(status.egress() == null ? "open" : status.egress())
                .append(status.egressAllow().isEmpty() ? "" : " (" + String.join(", ", status.egressAllow()) + ")")
                .append("\nGitHub's queue read every ").append(status.queuePollSeconds()).append(" s")
                .append("\ncache: ").append(status.cache() == null ? "none (caches need QEMU, qemu-img and mke2fs)"
                        : status.cache() + " at /cache; kept from " + (status.cacheWriteEvents().isEmpty() ? "no run (read-only)"
                        : String.join(", ", status.cacheWriteEvents()) + " runs of the repository itself, never a fork"))
                .append("\nGPU slots take: ").append(status.gpuSlotJobs() == null ? "-" : switch (status.gpuSlotJobs()) {
                    case RunnerRegistration.GPU_JOBS -> "only jobs asking for a GPU";
                    case RunnerRegistration.GPU_JOBS_STRICT -> "only jobs asking for a GPU (strict: not self-hosted alone)";
                    default -> "any job (they carry the CPU slots' labels too)";
                });
        status.reach().forEach(line -> text.append("\n  ").append(line));
        text.append("\n\n");
        Table slots = new Table("SLOT", "GPU", "STATE", "RUNNER", "JOB", "DETAIL");
        for (RunnerStatus.Slot slot : status.slots()) {
            slots.row(slot.key(), slot.gpu() == null ? "-" : slot.gpu(), slot.state(),
                    slot.runnerName() == null ? "-" : slot.runnerName(), slot.jobId() == null ? "-" : slot.jobId(),
                    slot.detail() == null ? "" : slot.detail());
        }
        text.append(status.slots().isEmpty() ? "No slots.\n" : slots.toString()).append('\n');
        if (!status.queued().isEmpty()) {
            Table queued = new Table("QUEUED JOB", "REPOSITORY", "RUN", "LABELS", "GPU", "WAITING FOR");
            for (RunnerStatus.QueuedJob job : status.queued()) {
                queued.row(job.name(), job.repository(), job.runId(), String.join(",", job.labels()),
                        job.gpu() == null ? "-" : job.gpu(), job.waitingFor());
            }
            text.append(queued).append('\n');
        }
        Table runners = new Table("ID", "NAME", "STATUS", "BUSY");
        for (RunnerStatus.Runner runner : status.runners()) {
            runners.row(runner.id(), runner.name(), runner.status(), runner.busy() ? "yes" : "no");
        }
        return text.append(status.runners().isEmpty() ? "No runners of ours on GitHub.\n" : runners.toString()).toString();
    }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Check a token with GitHub and register (the token is read from a file, never an argument).")
    static class Register implements Callable<Integer> {
        @ParentCommand
        RunnerCommand runner;

        @Spec
        CommandSpec spec;

        @Option(names = "--url", required = true, description = "https://github.com/ORG or https://github.com/OWNER/REPO")
        String url;

        @Option(names = "--token-file", paramLabel = "FILE",
                description = "A file holding the token (Administration: write on the repo, or Self-hosted runners: "
                        + "write on the org). Or sign in as a GitHub App (--app-id, --app-key).")
        Path tokenFile;

        @Option(names = "--app-id", paramLabel = "ID", description = "Sign in as this GitHub App (its id or client id).")
        String appId;

        @Option(names = "--app-key", paramLabel = "FILE", description = "The App's private key (.pem, as GitHub gave it).")
        Path appKey;

        @Option(names = "--installation-id", paramLabel = "ID", description = "The App's installation (default: the "
                + "one on the repository or organisation).")
        Long installationId;

        @Option(names = "--runner-group", paramLabel = "NAME|ID", description = "An organisation's runner group "
                + "(default: Default).")
        String runnerGroup;

        @Option(names = "--gpu-slot-jobs", paramLabel = "RULE", description = "Which jobs GPU slots take: gpu (only "
                + "jobs asking for gpu or gpu-*; default), gpu-strict (not a bare self-hosted either) or any.")
        String gpuSlotJobs;

        @Option(names = "--ca-cert", paramLabel = "FILE", description = "A CA certificate (PEM) trusted for a GitHub "
                + "Enterprise Server's API host only.")
        Path caCert;

        @Option(names = "--release-source", paramLabel = "URL", description = "Where a GitHub Enterprise Server host "
                + "reads actions/runner's releases (an API base, e.g. https://api.github.com).")
        String releaseSource;

        @Option(names = "--labels", split = ",", description = "Extra labels, comma-separated.")
        List<String> labels;

        @Option(names = "--gpu-slots", description = "GPU runners to keep ready (default: GPUs in passthrough mode).")
        Integer gpuSlots;

        @Option(names = "--cpu-slots", description = "CPU-only runners to keep ready (default: 1).")
        Integer cpuSlots;

        @Option(names = "--api-url", description = "GitHub Enterprise Server API URL (default: from --url).")
        String apiUrl;

        @Option(names = "--slot-cpus", paramLabel = "N", description = "vCPUs of each slot's VM (default: shared out).")
        Integer slotCpus;

        @Option(names = "--slot-memory", paramLabel = "MIB", description = "Memory of each slot's VM in MiB "
                + "(default: shared out of three quarters of the host's).")
        Integer slotMemory;

        @Option(names = "--egress", paramLabel = "MODE", description = "What runner VMs may reach: open (the "
                + "internet; default), allow-list (only --allow) or audit (the internet; logs what the list would refuse).")
        String egress;

        @Option(names = "--allow", paramLabel = "ENTRY", description = "For --egress allow-list or audit: a host name "
                + "(github.com), a wildcard (*.githubusercontent.com) or an IPv4 block. Repeatable.")
        List<String> allow;

        @Option(names = "--queue-poll-seconds", paramLabel = "N", description = "How often GitHub's queue is read for "
                + "jobs an on-demand GPU could take (default 15; unchanged answers cost no rate limit).")
        Integer queuePollSeconds;

        @Option(names = "--cache-write-events", split = ",", paramLabel = "EVENT", description = "The events whose runs "
                + "(on the repository itself, never a fork, and its default branch) may change the scope's cache "
                + "(default: push,schedule,workflow_dispatch; EVENT:BRANCH for a branch too, EVENT:* for any; "
                + "'none' makes it read-only).")
        List<String> cacheWriteEvents;

        private String read(Path file) {
            if (!Files.isReadable(file)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "cannot read " + file);
            }
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "cannot read " + file + ": "
                        + e.getMessage());
            }
        }

        @Override
        public Integer call() throws Exception {
            if ((tokenFile == null) == (appId == null)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "give --token-file FILE, or --app-id ID with --app-key FILE (not both)");
            }
            if ((appId == null) != (appKey == null) || appId == null && installationId != null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--app-id and --app-key go together (--installation-id with them)");
            }
            String token = tokenFile == null ? null : read(tokenFile).strip();
            GitHubApp app = appId == null ? null : new GitHubApp(appId, read(appKey), installationId);
            try (RigdeskApi client = runner.parent.client()) {
                RunnerStatus status = client.registerRunner(new RunnerRegistration(url, token, labels, null,
                        null, apiUrl, gpuSlots, cpuSlots, slotCpus, slotMemory, egress, allow, queuePollSeconds,
                        cacheWriteEvents == null ? null : cacheWriteEvents.equals(List.of("none")) ? List.of()
                                : cacheWriteEvents, app, runnerGroup, gpuSlotJobs,
                        caCert == null ? null : read(caCert), releaseSource));
                spec.commandLine().getOut().print(render(status));
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the registration and our runners.")
    static class Status implements Callable<Integer> {
        @ParentCommand
        RunnerCommand runner;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print the daemon's JSON answer.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (RigdeskApi client = runner.parent.client()) {
                RunnerStatus status = client.runner();
                RigdeskCommand.print(spec, json, status, () -> render(status));
            }
            return 0;
        }
    }

    /** pause and resume: the same call with another verb. */
    abstract static class Switch implements Callable<Integer> {
        @ParentCommand
        RunnerCommand runner;

        @Spec
        CommandSpec spec;

        abstract String verb();

        @Override
        public Integer call() throws Exception {
            try (RigdeskApi client = runner.parent.client()) {
                RunnerStatus status = client.setRunnerPaused("pause".equals(verb()));
                spec.commandLine().getOut().print(render(status));
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Drain: running jobs finish, idle runners stop, no new ones start.")
    static class Pause extends Switch {
        @Override
        String verb() {
            return "pause";
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Start runners again after a pause.")
    static class Resume extends Switch {
        @Override
        String verb() {
            return "resume";
        }
    }

    @Command(name = "test-job", mixinStandardHelpOptions = true,
            description = "Hand the test image's stand-in runner a job, as GitHub would (test image only).")
    static class TestJob implements Callable<Integer> {
        @ParentCommand
        RunnerCommand runner;

        @Spec
        CommandSpec spec;

        @Option(names = "--gpu", description = "Run it on a GPU slot (default: a CPU slot).")
        boolean gpu;

        @Option(names = "--repository", defaultValue = "octo/demo", description = "OWNER/REPO (default: ${DEFAULT-VALUE}).")
        String repository;

        @Option(names = "--workflow", defaultValue = "CI", description = "Workflow name (default: ${DEFAULT-VALUE}).")
        String workflow;

        @Option(names = "--job", defaultValue = "test", description = "Job name (default: ${DEFAULT-VALUE}).")
        String job;

        @Option(names = "--script", required = true, description = "The shell commands the job runs.")
        String script;

        @Override
        public Integer call() throws Exception {
            try (RigdeskApi client = runner.parent.client()) {
                client.runnerTestJob(new org.rigdesk.api.wire.RunnerTestJob(gpu, repository,
                        workflow, job, null, null, script));
                spec.commandLine().getOut().println("Handed to the next " + (gpu ? "GPU" : "CPU")
                        + " slot; follow it with: rigdesk jobs");
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    @Command(name = "use-tarball", mixinStandardHelpOptions = true,
            description = "Hand the daemon an actions runner tarball, for a host that cannot download one.")
    static class UseTarball implements Callable<Integer> {
        @ParentCommand
        RunnerCommand runner;

        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Parameters(paramLabel = "FILE", description = "actions-runner-linux-x64-VERSION.tar.gz")
        Path file;

        @Option(names = "--version", paramLabel = "V", description = "Its version (default: from the file's name).")
        String version;

        @Option(names = "--sha256", paramLabel = "HEX", description = "The SHA-256 the release lists; without it the "
                + "runner is kept as unverified.")
        String sha256;

        @Override
        public Integer call() throws Exception {
            if (!Files.isReadable(file) || !Files.isRegularFile(file)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "cannot read " + file);
            }
            try (RigdeskApi client = runner.parent.client()) {
                RunnerStatus status = client.useRunnerTarball(file, version, sha256);
                spec.commandLine().getOut().print(release(status.runnerRelease()));
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Delete our idle runners from GitHub and forget the token.")
    static class Remove implements Callable<Integer> {
        @ParentCommand
        RunnerCommand runner;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (RigdeskApi client = runner.parent.client()) {
                client.removeRunner();
                spec.commandLine().getOut().println("Registration removed.");
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }
}
