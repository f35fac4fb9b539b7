package org.rigdesk.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Arguments that only open the window skip building the commands; any other keeps them all. */
class WindowArgumentsTest {

    @Test
    void onlyTheWindowsOwnOptionsOpenItWithoutTheCommands() {
        assertTrue(RigdeskCommand.opensWindow(new String[0]));
        assertTrue(RigdeskCommand.opensWindow(new String[] {"--socket", "/run/x.sock", "--page", "jobs"}));
        assertTrue(RigdeskCommand.opensWindow(new String[] {"--socket=/run/x.sock", "--smoke", "a.png",
                "--smoke-timeout", "5"}));
        assertFalse(RigdeskCommand.opensWindow(new String[] {"gpus"}));
        assertFalse(RigdeskCommand.opensWindow(new String[] {"--socket", "/run/x.sock", "gpus"}));
        assertFalse(RigdeskCommand.opensWindow(new String[] {"--help"}));
        assertFalse(RigdeskCommand.opensWindow(new String[] {"--version"}));
        assertFalse(RigdeskCommand.opensWindow(new String[] {"gpuss"}), "a typo still gets picocli's suggestion");
    }

    @Test
    void aTypoAfterTheWindowsOptionsIsStillToldWhatItMeant() {
        java.io.StringWriter err = new java.io.StringWriter();
        String[] args = {"--page", "jobs", "gpuss"};
        picocli.CommandLine cli = RigdeskCommand.commandLine(null, args);
        cli.setErr(new java.io.PrintWriter(err));
        assertEquals(2, cli.execute(args));
        assertTrue(err.toString().contains("Did you mean"), err.toString());
    }
}
