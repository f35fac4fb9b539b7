package org.rigdesk.app.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.AuditLog;
import org.rigdesk.app.shell.Shell;
import org.rigdesk.app.shell.UiHarness;
import org.rigdesk.testkit.DaemonProcess;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** The runner wizard checks its input before it calls the daemon; the daemon's refusal is shown with its remedy. */
class RunnerUiTest {

    @TempDir
    Path dir;
    private final FxRobot robot = new FxRobot();
    private DaemonProcess daemon;
    private Shell shell;

    @BeforeEach
    void open() throws Exception {
        daemon = new DaemonProcess(dir).start();
        shell = UiHarness.open(daemon.socket());
        robot.clickOn("#nav-runner");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#runner-wizard").queryAll().isEmpty());
    }

    @AfterEach
    void close() throws Exception {
        UiHarness.close(shell);
        daemon.close();
    }

    private String problem() {
        return robot.lookup("#runner-problem").queryAs(Label.class).getText();
    }

    private long registerAttempts() throws Exception {
        try (DaemonClient client = daemon.client()) {
            return client.get("/v1/audit", AuditLog.class).entries().stream()
                    .filter(e -> e.action().equals("runner.register")).count();
        }
    }

    @Test
    void aBadUrlOrAnEmptyTokenIsCaughtBeforeTheDaemonIsAsked() throws Exception {
        robot.clickOn("#runner-url").write("github.com/octo");
        robot.clickOn("#runner-register");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(problem().contains("https://github.com/ORG"), problem());
        assertTrue(problem().contains("A token is required"), problem());
        assertEquals(0, registerAttempts(), "nothing was sent");

        robot.clickOn("#runner-label-input").write("bad label!").type(javafx.scene.input.KeyCode.ENTER);
        assertTrue(problem().contains("A label is"), problem());
        javafx.scene.control.TextField input = robot.lookup("#runner-label-input").queryAs(javafx.scene.control.TextField.class);
        robot.interact(() -> input.setText("whisper"));
        robot.clickOn(input).type(javafx.scene.input.KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !robot.lookup("#runner-labels .chip").queryAll().isEmpty());
    }

    @Test
    void theDaemonsRefusalIsShownWithItsRemedy() throws Exception {
        robot.clickOn("#runner-url").write("https://github.com/octo/gpu-ci");
        robot.clickOn("#runner-token").write("ghp_not_a_real_token");
        robot.interact(() -> robot.lookup("#runner-url").queryAs(javafx.scene.control.TextField.class)
                .setText("https://127.0.0.1:9/octo/gpu-ci")); // nothing listens there: GitHub is unreachable
        robot.clickOn("#runner-register");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> problem().contains("cannot reach"));
        assertEquals(1, registerAttempts());
    }
}
