package org.rigdesk.app;

import org.rigdesk.app.cli.RigdeskCommand;
import picocli.CommandLine;

/**
 * Entry point of {@code rigdesk}: with a sub-command it is the CLI (no JavaFX class is loaded),
 * without one it opens the window. Not an {@code Application} subclass, so JavaFX starts from a
 * plain classpath.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        StartTrace.mark("main");
        int code = RigdeskCommand.commandLine(System.out, args).execute(args);
        System.exit(code);
    }
}
