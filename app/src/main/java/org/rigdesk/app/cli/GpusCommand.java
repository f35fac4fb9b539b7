package org.rigdesk.app.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rigdesk gpus}: every GPU with its mode and whether it can be passed through. */
@Command(name = "gpus", mixinStandardHelpOptions = true, description = "List the GPUs, their mode and IOMMU group.")
public class GpusCommand implements Callable<Integer> {

    @ParentCommand
    RigdeskCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the daemon's JSON answer.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (RigdeskApi client = parent.client()) {
            GpuList gpus = new GpuList(client.gpus());
            RigdeskCommand.print(spec, json, gpus, () -> render(gpus.gpus()));
        }
        return 0;
    }

    static String render(List<Gpu> gpus) {
        if (gpus.isEmpty()) {
            return "No GPUs found.\n";
        }
        Table table = new Table("BDF", "NAME", "MODE", "LENDING", "DRIVER", "GROUP", "MOVES WITH IT", "PASSTHROUGH");
        for (Gpu gpu : gpus) {
            String peers = gpu.groupDevices().stream().filter(d -> !"bridge".equals(d.role()))
                    .map(d -> d.bdf().substring(d.bdf().length() - 4) + " " + d.role())
                    .collect(Collectors.joining(", "));
            String passthrough = gpu.passthrough().possible() ? "ready"
                    : "refused: " + gpu.passthrough().blockers().stream().map(Gpu.Blocker::code).distinct()
                    .collect(Collectors.joining(", "));
            table.row(gpu.bdf(), gpu.name(), gpu.usedBy() != null ? "in job " + gpu.usedBy() : gpu.mode(),
                    LendingText.column(gpu), gpu.driver(), gpu.iommuGroup(), peers.isEmpty() ? null : peers, passthrough);
        }
        return table.toString();
    }
}
