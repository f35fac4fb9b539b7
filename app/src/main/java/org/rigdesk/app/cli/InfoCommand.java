package org.rigdesk.app.cli;

import java.util.concurrent.Callable;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.wire.HostCheck;
import org.rigdesk.api.wire.Info;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rigdesk info}: the daemon and the host checks. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show the daemon and whether this host is ready.")
public class InfoCommand implements Callable<Integer> {

    @ParentCommand
    RigdeskCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the daemon's JSON answer.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (RigdeskApi client = parent.client()) {
            Info info = client.info();
            RigdeskCommand.print(spec, json, info, () -> render(info));
        }
        return 0;
    }

    static String render(Info info) {
        StringBuilder text = new StringBuilder();
        text.append("rigdeskd ").append(info.version()).append("  pid ").append(info.pid())
                .append("  uid ").append(info.uid()).append("  started ").append(info.startedAt())
                .append(info.simulated() ? "  [simulated]" : "").append('\n');
        text.append(new Table("", "")
                .row("socket", info.socket())
                .row("state dir", info.stateDir())
                .row("sysfs", info.sysfsRoot()));
        text.append('\n');
        Table checks = new Table("CHECK", "STATUS", "DETAIL");
        for (HostCheck check : info.checks()) {
            checks.row(check.title(), check.ok() ? "ok" : check.required() ? "FAIL" : "missing", check.detail());
        }
        text.append(checks);
        for (HostCheck check : info.checks()) {
            if (!check.ok() && check.remedy() != null) {
                text.append("\n").append(check.title()).append(": ").append(check.remedy());
            }
        }
        return text.append('\n').toString();
    }
}
