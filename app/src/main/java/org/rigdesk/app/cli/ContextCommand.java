package org.rigdesk.app.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.client.SocketLocator;
import org.rigdesk.api.wire.Info;
import org.rigdesk.app.contexts.ContextStore;
import org.rigdesk.app.contexts.RigContext;
import org.rigdesk.app.contexts.Rigs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code rigdesk context add|ls|use|rm|inspect}: rigs by name, as Docker's contexts. A remote rig is
 * {@code ssh://[USER@]HOST[:PORT][/SOCKET/PATH]}, reached with the owner's own ssh.
 */
@Command(name = "context", mixinStandardHelpOptions = true,
        description = "Rigs by name: this machine is 'local'; others are reached over ssh.",
        subcommands = {ContextCommand.Add.class, ContextCommand.Ls.class, ContextCommand.Use.class,
                ContextCommand.Rm.class, ContextCommand.Inspect.class})
public class ContextCommand {

    @ParentCommand
    RigdeskCommand parent;

    /** Runs a change to the list; what the store refuses is the caller's mistake (exit 2, nothing written). */
    private static void change(CommandSpec spec, Change change) throws java.io.IOException {
        try {
            change.run();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private interface Change {
        void run() throws java.io.IOException;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Adds a rig reached over ssh.")
    static class Add implements Callable<Integer> {
        @ParentCommand
        ContextCommand context;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "a-z 0-9 . _ -, up to 64")
        String name;

        @Parameters(index = "1", paramLabel = "ENDPOINT",
                description = "ssh://[USER@]HOST[:PORT][/SOCKET/PATH] (default path /run/rigdesk/rigdeskd.sock)")
        String endpoint;

        @Override
        public Integer call() throws Exception {
            RigContext[] added = new RigContext[1];
            change(spec, () -> added[0] = context.parent.contexts().add(name, endpoint));
            spec.commandLine().getOut().println("context " + added[0].name() + ": " + added[0].endpoint()
                    + "\nuse it with: rigdesk --context " + added[0].name() + " gpus, or rigdesk context use "
                    + added[0].name());
            return 0;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "Every context; * marks the current one.")
    static class Ls implements Callable<Integer> {
        @ParentCommand
        ContextCommand context;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print the list as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            ContextStore store = context.parent.contexts();
            String current = store.current();
            List<RigContext> all = store.list();
            RigdeskCommand.print(spec, json, Map.of("current", current, "contexts", all), () -> {
                Table table = new Table("NAME", "ENDPOINT");
                all.forEach(c -> table.row(c.name() + (c.name().equals(current) ? " *" : ""),
                        c.isLocal() ? "this machine's rigdeskd" : c.endpoint()));
                return table.toString();
            });
            return 0;
        }
    }

    /** A change to one named context: what the store refuses is the caller's mistake. */
    abstract static class OnOne implements Callable<Integer> {
        @ParentCommand
        ContextCommand context;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        abstract String apply(ContextStore store) throws java.io.IOException;

        @Override
        public Integer call() throws Exception {
            String[] said = new String[1];
            change(spec, () -> said[0] = apply(context.parent.contexts()));
            spec.commandLine().getOut().println(said[0]);
            return 0;
        }
    }

    @Command(name = "use", mixinStandardHelpOptions = true, description = "Makes NAME the rig commands talk to.")
    static class Use extends OnOne {
        @Override
        String apply(ContextStore store) throws java.io.IOException {
            store.use(name);
            return "current context: " + name;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Forgets a context (local stays).")
    static class Rm extends OnOne {
        @Override
        String apply(ContextStore store) throws java.io.IOException {
            store.remove(name);
            return "removed context " + name;
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "A context as JSON; with --connect, whether the rig answers and what it runs.")
    static class Inspect implements Callable<Integer> {
        @ParentCommand
        ContextCommand context;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", arity = "0..1", description = "default: the current context")
        String name;

        @Option(names = "--connect", description = "Reach the rig and add its daemon's info.")
        boolean connect;

        @Override
        public Integer call() throws Exception {
            ContextStore store = context.parent.contexts();
            String wanted = name == null ? store.current() : name;
            RigContext found = store.get(wanted).orElseThrow(() -> new CommandLine.ParameterException(
                    spec.commandLine(), ContextStore.unknown(wanted)));
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("name", found.name());
            shown.put("endpoint", found.isLocal() ? null : found.endpoint());
            shown.put("current", found.name().equals(store.current()));
            Map<String, String> env = context.parent.env();
            java.nio.file.Path socket = SocketLocator.resolve(null, env, java.nio.file.Files::exists);
            if (found.isLocal()) {
                shown.put("socket", socket.toString());
            } else {
                shown.put("ssh", found.ssh());
            }
            if (connect) {
                Rigs.Target target = found.isLocal() ? new Rigs.Local(socket) : new Rigs.Remote(found);
                try (RigdeskApi client = Rigs.connect(target, env)) {
                    Info info = client.info();
                    shown.put("daemon", info);
                }
            }
            RigdeskCommand.print(spec, true, shown, () -> "");
            return 0;
        }
    }
}
