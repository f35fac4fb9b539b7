package org.rigdesk.app.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.client.DaemonException;
import org.rigdesk.api.client.DaemonUnreachableException;
import org.rigdesk.app.contexts.ContextStore;
import org.rigdesk.app.contexts.Rigs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code rigdesk [--socket PATH] [COMMAND]}: the window when no command is given. */
@Command(name = "rigdesk", mixinStandardHelpOptions = true, versionProvider = AppVersion.class,
        description = "Rigdesk: GPU passthrough, microVM jobs and a GitHub runner on your workstation. "
                + "Without a command, opens the window.")
public class RigdeskCommand implements Callable<Integer> {

    private static final List<Class<?>> SUBCOMMANDS = List.of(InfoCommand.class, DoctorCommand.class,
            GpusCommand.class, GpuCommand.class, TopCommand.class, SmiCommand.class, TelemetryCommand.class,
            RunCommand.class, JobsCommand.class, LogsCommand.class, CancelCommand.class, RunnerCommand.class,
            CacheCommand.class, AuditCommand.class, ContextCommand.class);
    /** The window's own options, each with a value: with only these, no command is built. */
    private static final Set<String> WINDOW_OPTIONS = Set.of("--socket", "--context", "--page", "--rig", "--smoke",
            "--smoke-timeout");

    /** Exit code when the daemon cannot be reached. */
    public static final int EXIT_UNREACHABLE = 3;
    /** Exit code when the daemon refused or failed the request. */
    public static final int EXIT_REFUSED = 1;

    @Option(names = "--socket", paramLabel = "PATH", scope = ScopeType.INHERIT,
            description = "rigdeskd's socket (default: $RIGDESK_SOCKET, /run/rigdesk/rigdeskd.sock if it exists, "
                    + "else $XDG_RUNTIME_DIR/rigdesk/rigdeskd.sock).")
    String socket;

    @Option(names = "--context", paramLabel = "NAME", scope = ScopeType.INHERIT,
            description = "The rig to talk to, by context (default: $RIGDESK_CONTEXT, else the one 'rigdesk context "
                    + "use' chose, else local). --socket and $RIGDESK_SOCKET win over any context.")
    String context;

    /** The environment the command reads ($RIGDESK_SOCKET, $RIGDESK_CONTEXT, $XDG_CONFIG_HOME, …); tests give their own. */
    private java.util.Map<String, String> env = System.getenv();

    @Option(names = "--page", paramLabel = "ID", hidden = true,
            description = "Page to open first: gpus, jobs, runner, telemetry or host.")
    String page;

    @Option(names = "--rig", paramLabel = "NAME", hidden = true,
            description = "The context whose rig the window shows first (a re-launched window's --context).")
    String rig;

    @Spec
    CommandSpec spec;

    @Option(names = "--smoke", paramLabel = "PNG",
            description = "Open the window, wait until the GPU cards show live readings, save the window to PNG "
                    + "and quit; exit 1 with the reason when they do not within --smoke-timeout.")
    Path smoke;

    @Option(names = "--smoke-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long --smoke waits for the GPU cards (default: ${DEFAULT-VALUE}).")
    int smokeTimeout;

    /** Hands out the daemon's API instead of a client on the socket (tests, on the in-memory fake). */
    private java.util.function.Supplier<RigdeskApi> api;

    /** Where a job's output goes byte for byte (standard output's bytes), or null: through the writer. */
    private java.io.OutputStream outputBytes;

    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * {@code outputBytes}: the bytes under the command line's standard output (Main gives
     * System.out); a job's output is written there as the job wrote it, never decoded as text.
     */
    public static CommandLine commandLine(java.io.OutputStream outputBytes) {
        return commandLine(outputBytes, true);
    }

    /**
     * The commands over {@code api} instead of the socket; each command closes what it is given,
     * so the supplier hands out a view whose close leaves {@code api} open.
     */
    /** The commands in an environment of the caller's (the tests': their own contexts, ssh and sockets). */
    public static CommandLine commandLineIn(java.util.Map<String, String> env) {
        CommandLine commandLine = commandLine(null, true);
        ((RigdeskCommand) commandLine.getCommand()).env = java.util.Map.copyOf(env);
        return commandLine;
    }

    public static CommandLine commandLineOver(RigdeskApi api) {
        CommandLine commandLine = commandLine(null, true);
        ((RigdeskCommand) commandLine.getCommand()).api = () -> unclosable(api);
        return commandLine;
    }

    private static RigdeskApi unclosable(RigdeskApi api) {
        return (RigdeskApi) java.lang.reflect.Proxy.newProxyInstance(RigdeskApi.class.getClassLoader(),
                new Class<?>[] {RigdeskApi.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        return null;
                    }
                    try {
                        return method.invoke(api, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * The command line for {@code args}: when they only open the window, without the commands
     * (building their models took half a second of the window's start).
     */
    public static CommandLine commandLine(java.io.OutputStream outputBytes, String[] args) {
        return commandLine(outputBytes, !opensWindow(args));
    }

    static boolean opensWindow(String[] args) {
        for (int i = 0; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            if (!WINDOW_OPTIONS.contains(equals < 0 ? args[i] : args[i].substring(0, equals))) {
                return false;
            }
            if (equals < 0) {
                i++; // its value
            }
        }
        return true;
    }

    private static CommandLine commandLine(java.io.OutputStream outputBytes, boolean withCommands) {
        RigdeskCommand command = new RigdeskCommand();
        command.outputBytes = outputBytes;
        CommandLine commandLine = new CommandLine(command);
        if (withCommands) {
            SUBCOMMANDS.forEach(commandLine::addSubcommand);
        }
        commandLine.setExecutionExceptionHandler(RigdeskCommand::report);
        commandLine.setAllowSubcommandsAsOptionParameters(true); // --page jobs names a page, not the command
        return commandLine;
    }

    @Override
    public Integer call() {
        // Loaded only here, so CLI runs never touch JavaFX.
        if (smokeTimeout < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--smoke-timeout must be at least 1 second, got " + smokeTimeout);
        }
        Rigs.Target target;
        try {
            target = target();
        } catch (java.io.IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        // The window always stands on this machine's daemon; a context's rig is the one its pages show first.
        Path socketHere = target instanceof Rigs.Local local ? local.socket()
                : org.rigdesk.api.client.SocketLocator.resolve(null, env, java.nio.file.Files::exists);
        String firstRig = target instanceof Rigs.Remote remote ? remote.context().name() : rig;
        return org.rigdesk.app.GuiLauncher.launch(
                new org.rigdesk.app.GuiLauncher.Options(socketHere, page, smoke, smokeTimeout, firstRig));
    }

    /** The rig the commands talk to: {@code --socket}, {@code RIGDESK_SOCKET}, or a context ({@link Rigs}). */
    Rigs.Target target() throws java.io.IOException {
        try {
            return Rigs.resolve(socket, context, env, contexts());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    java.util.Map<String, String> env() {
        return env;
    }

    ContextStore contexts() {
        return ContextStore.of(env);
    }

    /** The daemon the commands talk to: the target's, or what {@link #commandLineOver} was given. */
    public RigdeskApi client() throws java.io.IOException {
        return api != null ? api.get() : Rigs.connect(target(), env);
    }

    /** A sink for a job's output on standard output (see {@link WriterOutputStream#jobOutput}). */
    java.io.OutputStream jobOutput(boolean raw) {
        return WriterOutputStream.jobOutput(spec.commandLine().getOut(), outputBytes, raw);
    }

    /** Prints the daemon's answer as pretty JSON or, by default, as the text a person reads. */
    static void print(picocli.CommandLine.Model.CommandSpec spec, boolean json, Object answer,
                      java.util.function.Supplier<String> text) throws java.io.IOException {
        java.io.PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(org.rigdesk.api.wire.Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(answer));
        } else {
            out.print(text.get());
        }
        out.flush();
    }

    private static int report(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
        var err = commandLine.getErr();
        if (e instanceof DaemonUnreachableException unreachable) {
            err.println("rigdesk: " + unreachable.getMessage());
            err.println("rigdesk: " + unreachable.remedy());
            return EXIT_UNREACHABLE;
        }
        if (e instanceof DaemonException refused) {
            err.println("rigdesk: " + refused.getMessage());
            if (refused.problem().remedy() != null) {
                err.println("rigdesk: what to do: " + refused.problem().remedy());
            }
            return EXIT_REFUSED;
        }
        err.println("rigdesk: " + e.getMessage());
        return EXIT_REFUSED;
    }
}
