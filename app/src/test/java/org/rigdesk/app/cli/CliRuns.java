package org.rigdesk.app.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code rigdesk ARGS…} in-process with an environment of the test's own, for tests outside this package. */
public final class CliRuns {

    public record Run(int code, String out, String err) {
    }

    private CliRuns() {
    }

    public static Run runIn(Map<String, String> env, String... args) {
        return run(RigdeskCommand.commandLineIn(env), args);
    }

    /** {@code rigdesk ARGS…} on a command line already made, its output and errors caught. */
    public static Run run(CommandLine commandLine, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
