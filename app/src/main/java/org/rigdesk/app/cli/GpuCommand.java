package org.rigdesk.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rigdesk gpu mode BDF vfio|host}, {@code rigdesk gpu lend BDF POLICY}, {@code rigdesk gpu reclaim BDF}. */
@Command(name = "gpu", mixinStandardHelpOptions = true, description = "Change one GPU.",
        subcommands = {GpuCommand.Mode.class, GpuCommand.Lend.class, GpuCommand.Reclaim.class, GpuCommand.Check.class})
public class GpuCommand {

    @ParentCommand
    RigdeskCommand parent;

    /** The modes a toggle asks for, as typed on the command line. */
    public enum Target {
        vfio(GpuMode.VFIO), host(GpuMode.HOST);

        final GpuMode mode;

        Target(GpuMode mode) {
            this.mode = mode;
        }
    }

    /** What every command on one GPU takes: its address, and --json. */
    abstract static class OnOneGpu implements Callable<Integer> {

        @ParentCommand
        GpuCommand gpu;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "BDF", description = "PCI address, e.g. 0000:01:00.0")
        String bdf;

        @Option(names = "--json", description = "Print the GPU as the daemon returns it.")
        boolean json;
    }

    @Command(name = "mode", mixinStandardHelpOptions = true,
            description = "Move a GPU, with every function of its IOMMU group, to vfio-pci (for VMs) or back to "
                    + "its host driver.")
    static class Mode extends OnOneGpu {

        @Parameters(index = "1", paramLabel = "MODE", description = "vfio or host")
        Target target;

        @Override
        public Integer call() throws Exception {
            checkBdf(spec, bdf);
            PrintWriter out = spec.commandLine().getOut();
            try (RigdeskApi client = gpu.parent.client()) {
                Gpu now = client.setGpuMode(bdf, target.mode);
                if (json) {
                    out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(now));
                } else {
                    StringBuilder line = new StringBuilder(now.bdf() + " (" + now.name() + ") is now in " + now.mode()
                            + " mode, driver " + now.driver());
                    for (Gpu.GroupDevice peer : now.groupDevices()) {
                        if (!"bridge".equals(peer.role())) {
                            line.append("\n  ").append(peer.bdf()).append(" (").append(peer.role()).append(") driver ")
                                    .append(peer.driver());
                        }
                    }
                    out.println(line);
                }
            }
            out.flush();
            return 0;
        }
    }

    static void checkBdf(CommandSpec spec, String bdf) {
        if (!bdf.matches("^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]$")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "not a PCI address: '" + bdf + "' (expected dddd:bb:ss.f, e.g. 0000:01:00.0; see 'rigdesk gpus')");
        }
    }

    static void print(CommandSpec spec, boolean json, Gpu gpu) throws java.io.IOException {
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(gpu) + "\n"
                : LendingText.describe(gpu));
        out.flush();
    }

    @Command(name = "lend", mixinStandardHelpOptions = true,
            description = {"Say whom a GPU is lent to: ci (a runner VM holds it, fastest start), desk (never lent), "
                    + "on-demand (on the host until a queued GitHub job needs it) or schedule (--window: ci or "
                    + "on-demand in weekly windows of local time, desk outside them).",
                    "Example: rigdesk gpu lend 0000:01:00.0 schedule --window 'mon-fri 19:00-08:00 ci' "
                            + "--window 'sat,sun 00:00-00:00 on-demand'"})
    static class Lend extends OnOneGpu {

        @Parameters(index = "1", paramLabel = "POLICY", description = "ci, desk, on-demand or schedule")
        String policy;

        @Option(names = "--window", paramLabel = "'DAYS FROM-TO [ci|on-demand]'",
                description = "A weekly window of a schedule, e.g. 'mon-fri 19:00-08:00 ci' (repeatable).")
        java.util.List<String> windows = new java.util.ArrayList<>();

        @Option(names = "--idle-seconds", paramLabel = "N",
                description = "On demand: how long a runner waits for its job before the card comes back (default 300).")
        Integer idleSeconds;

        @Override
        public Integer call() throws Exception {
            checkBdf(spec, bdf);
            java.util.List<org.rigdesk.api.wire.LendingWindow> schedule = new java.util.ArrayList<>();
            for (String window : windows) {
                try {
                    schedule.add(org.rigdesk.api.wire.LendingWindow.parse(window));
                } catch (IllegalArgumentException e) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
                }
            }
            try (RigdeskApi client = gpu.parent.client()) {
                print(spec, json, client.setGpuLending(bdf, new org.rigdesk.api.wire.LendingRequest(policy,
                        schedule.isEmpty() ? null : schedule, idleSeconds)));
            }
            return 0;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Check a GPU's health now (from sysfs: on the bus, awake, resettable, its link, PCIe errors); "
                    + "a quarantined card that passes can be given to jobs again. Exit 1 when it fails.")
    static class Check extends OnOneGpu {

        @Option(names = "--reset", description = "Reset the card first (a function reset through sysfs, as between "
                + "jobs): only a card on vfio-pci that no job holds.")
        boolean reset;

        @Override
        public Integer call() throws Exception {
            checkBdf(spec, bdf);
            try (RigdeskApi client = gpu.parent.client()) {
                Gpu now = client.checkGpu(bdf, reset);
                PrintWriter out = spec.commandLine().getOut();
                Gpu.Health health = now.health();
                if (json) {
                    out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(now));
                } else if (health == null || health.ok()) {
                    out.println(now.bdf() + " (" + now.name() + ") is healthy: it can be given to jobs");
                } else {
                    out.println(now.bdf() + " (" + now.name() + ") is unhealthy and quarantined:");
                    health.problems().forEach(p -> out.println("  " + p.detail() + "\n    what to do: " + p.remedy()));
                }
                out.flush();
                return health == null || health.ok() ? 0 : 1;
            }
        }
    }

    @Command(name = "reclaim", mixinStandardHelpOptions = true,
            description = "Use on my desk: the GPU comes back to its host driver and stays (its lending becomes desk). "
                    + "An idle runner VM on it stops at once; a job on it finishes first, unless --cancel-job.")
    static class Reclaim extends OnOneGpu {

        @Option(names = "--cancel-job", description = "Cancel the job using the GPU instead of waiting for it.")
        boolean cancelJob;

        @Option(names = "--wait", description = "Return once the GPU is back on its host driver.")
        boolean await;

        @Override
        public Integer call() throws Exception {
            checkBdf(spec, bdf);
            try (RigdeskApi client = gpu.parent.client()) {
                Gpu now = client.reclaimGpu(bdf, cancelJob);
                while (await && !now.is(GpuMode.HOST)) {
                    Thread.sleep(1000);
                    now = client.gpus().stream().filter(g -> g.bdf().equals(bdf)).findFirst().orElse(now);
                }
                print(spec, json, now);
            }
            return 0;
        }
    }
}
