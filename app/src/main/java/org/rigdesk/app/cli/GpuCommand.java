package org.rigdesk.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rigdesk gpu mode BDF vfio|host}. */
@Command(name = "gpu", mixinStandardHelpOptions = true, description = "Change one GPU.",
        subcommands = GpuCommand.Mode.class)
public class GpuCommand {

    @ParentCommand
    RigdeskCommand parent;

    /** The modes a GPU can be asked for. */
    /** The modes a toggle asks for, as typed on the command line. */
    public enum Target {
        vfio(GpuMode.VFIO), host(GpuMode.HOST);

        final GpuMode mode;

        Target(GpuMode mode) {
            this.mode = mode;
        }
    }

    @Command(name = "mode", mixinStandardHelpOptions = true,
            description = "Move a GPU, with every function of its IOMMU group, to vfio-pci (for VMs) or back to "
                    + "its host driver.")
    static class Mode implements Callable<Integer> {

        @ParentCommand
        GpuCommand gpu;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "BDF", description = "PCI address, e.g. 0000:01:00.0")
        String bdf;

        @Parameters(index = "1", paramLabel = "MODE", description = "vfio or host")
        Target target;

        @Option(names = "--json", description = "Print the GPU as the daemon returns it.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (!bdf.matches("^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]$")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "not a PCI address: '" + bdf + "' (expected dddd:bb:ss.f, e.g. 0000:01:00.0; see 'rigdesk gpus')");
            }
            PrintWriter out = spec.commandLine().getOut();
            try (DaemonClient client = gpu.parent.client()) {
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
}
