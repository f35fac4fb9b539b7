package org.rigdesk.app.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Job;
import org.rigdesk.app.shell.Shell;
import org.rigdesk.app.shell.UiHarness;
import org.rigdesk.testkit.DaemonProcess;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** The Jobs page against a real daemon booting real VMs: run from the dialog, follow the log, cancel. */
class JobsUiTest {

    @TempDir
    Path dir;
    private final FxRobot robot = new FxRobot();
    private DaemonProcess daemon;
    private Shell shell;

    @BeforeEach
    void open() throws Exception {
        DaemonProcess.requireTestImage();
        daemon = new DaemonProcess(dir).simulate("desktop").withArgs("--cancel-grace", "2").start();
        shell = UiHarness.open(daemon.socket());
        robot.clickOn("#nav-jobs");
    }

    @AfterEach
    void close() throws Exception {
        UiHarness.close(shell);
        daemon.close();
    }

    private Node button(DialogPane pane, String text) {
        return robot.from(pane).lookup((Node n) -> n instanceof Button b && b.getText().equals(text)).query();
    }

    @SuppressWarnings("unchecked")
    private TableView<Job> table() {
        return robot.lookup("#jobs-table").queryAs(TableView.class);
    }

    private LogView log() {
        return robot.lookup("#log-lines").queryAs(LogView.class);
    }

    @Test
    void aJobRunFromTheDialogAppearsItsLogFollowsAndCancelStopsIt() throws Exception {
        robot.clickOn("#jobs-run");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#run-dialog").queryAll().isEmpty());
        TextArea script = robot.lookup("#run-script").queryAs(TextArea.class);
        // Two lines, then a quiet spell: both must show while the job still runs.
        robot.interact(() -> script.setText("echo tick 1; echo tick 2; sleep 120; echo tick 3"));
        robot.clickOn(button(robot.lookup("#run-dialog").queryAs(DialogPane.class), "Run job"));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> table().getItems().size() == 1);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> log().lines().stream().anyMatch(l -> l.equals("tick 2")));
        assertTrue(log().lines().contains("tick 1"));
        // The log can be a few milliseconds ahead of the job's state event: the lines are shown
        // while the job runs (it sleeps for two minutes after them).
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table().getItems().get(0).is(JobState.RUNNING));
        // A row the state event replaced gets its selection back on the next pulse (JobsPage's follow).
        WaitForAsyncUtils.waitForFxEvents();
        Job running = table().getItems().get(0);
        assertEquals(running.id(), table().getSelectionModel().getSelectedItem().id(),
                "the row selected is the job whose log is shown");

        robot.clickOn("#jobs-cancel");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#confirm-cancel").queryAll().isEmpty());
        robot.clickOn(button(robot.lookup("#confirm-cancel").queryAs(DialogPane.class), "Cancel job"));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                () -> table().getItems().get(0).is(JobState.CANCELLED));
        try (DaemonClient client = daemon.client()) {
            assertEquals(JobState.CANCELLED.wire(), client.get("/v1/jobs/" + running.id(), Job.class).state());
        }
        assertFalse(log().lines().contains("tick 3"), "cancelled before the end");
    }

    @Test
    void aRefusedRunShowsTheDaemonsReason() throws Exception {
        robot.clickOn("#jobs-run");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#run-dialog").queryAll().isEmpty());
        robot.interact(() -> robot.lookup("#run-gpus").queryAs(javafx.scene.control.Spinner.class)
                .getValueFactory().setValue(2));
        robot.clickOn(button(robot.lookup("#run-dialog").queryAs(DialogPane.class), "Run job"));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> robot.lookup("#jobs-message").queryLabeled().getText().contains("passthrough"));
        assertTrue(robot.lookup("#jobs-message").queryLabeled().getText().contains("rigdesk gpu mode"));
    }
}
