package org.rigdesk.app.cli;

import java.util.concurrent.Callable;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.wire.HostCheck;
import org.rigdesk.api.wire.Info;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rigdesk doctor}: each readiness check with what to do about it; exit 1 when a required one fails. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check this host (IOMMU, vfio-pci, KVM, VMMs, the job image) and say what to fix.")
public class DoctorCommand implements Callable<Integer> {

    @ParentCommand
    RigdeskCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Info info;
        try (RigdeskApi client = parent.client()) {
            info = client.info();
        }
        StringBuilder text = new StringBuilder();
        boolean required = false;
        for (HostCheck check : info.checks()) {
            text.append(check.ok() ? "✔ " : check.required() ? "✖ " : "! ").append(check.title()).append(": ")
                    .append(check.detail()).append('\n');
            if (!check.ok() && check.remedy() != null) {
                text.append("    → ").append(check.remedy()).append('\n');
            }
            required |= !check.ok() && check.required();
        }
        text.append(required ? "Not ready: fix the ✖ lines first.\n" : "Ready (the ! lines are optional).\n");
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return required ? 1 : 0;
    }
}
