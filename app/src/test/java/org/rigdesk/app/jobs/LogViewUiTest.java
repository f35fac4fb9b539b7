package org.rigdesk.app.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rigdesk.app.shell.RigdeskApp;
import org.rigdesk.app.testing.InMemoryRigdesk;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The log view on the real toolkit, over the real model and a fake daemon: rows drawn, the line in
 * view kept in place as lines come and go, and the lines before the window read back at the top.
 */
class LogViewUiTest {

    private final FxRobot robot = new FxRobot();
    private final InMemoryRigdesk api = new InMemoryRigdesk();
    private LogViewModel model;
    private LogView view;

    @BeforeEach
    void open() throws Exception {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            log.append("line ").append(i).append('\n');
        }
        api.logs.put(9L, log.toString());
        FxToolkit.registerPrimaryStage();
        FxToolkit.setupStage(stage -> {
            model = new LogViewModel(api, Platform::runLater, 1000, Long.MAX_VALUE);
            view = new LogView(model.lines());
            view.setOnEdge(edge -> {
                if (edge == LogView.Edge.TOP) {
                    model.loadEarlier(added -> { });
                } else {
                    model.loadLater(last -> { });
                }
            });
            Scene scene = new Scene(view, 600, 400);
            RigdeskApp.style(scene);
            stage.setScene(scene);
            stage.show();
        });
    }

    @AfterEach
    void close() throws Exception {
        FxToolkit.cleanupStages();
    }

    @Test
    void rowsAreDrawnAndTheTopReadsBackTheLinesBeforeWithoutMovingTheView() throws Exception {
        robot.interact(() -> {
            model.followProperty().set(false);
            model.follow(9);
        });
        // Reading (not following): the window fills from the start and stops there.
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> model.hasLater());
        assertEquals("line 0", model.lines().get(0));
        assertEquals(0, view.topIndex());
        assertTrue(drawnPixels() > 500, "the rows in view are drawn");

        // To the bottom: the lines after the window are read, the view stays on what was last.
        robot.interact(() -> view.scrollTo(Integer.MAX_VALUE));
        robot.clickOn(view).type(KeyCode.END);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> model.lines().get(model.lines().size() - 1).equals("line 1499"));
        int top = view.topIndex();
        String atTop = model.lines().get(top);
        assertEquals("line " + (1000 - view.rows()), atTop, "the line that was at the top is still there");
        assertEquals(500, Integer.parseInt(model.lines().get(0).substring(5)), "half a window read, half dropped");

        // Back to the top: the lines dropped are read back, and the view does not jump.
        robot.interact(() -> view.scrollTo(0));
        robot.type(KeyCode.HOME);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> model.lines().get(0).equals("line 0"));
        assertEquals("line 500", model.lines().get(view.topIndex()), "the line in view stays in view");
        assertFalse(model.followProperty().get());
    }

    @Test
    void followingKeepsTheLastLineInViewAndFindSelects() throws Exception {
        robot.interact(() -> {
            model.lines().addListener((javafx.collections.ListChangeListener<String>) c -> view.scrollTo(model.lines().size()));
            model.follow(9);
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> model.statusProperty().get().startsWith("End of log."));
        assertEquals("line 2999", model.lines().get(view.topIndex() + view.rows() - 1));
        robot.interact(() -> view.select(10));
        assertEquals(10, view.selectedIndex());
        assertEquals(10, view.topIndex(), "a line selected out of view is brought to the top");
    }

    /** Pixels that differ from the background in a snapshot of the rows. */
    private int drawnPixels() throws Exception {
        WritableImage image = WaitForAsyncUtils.asyncFx(() -> view.snapshot(null, null)).get();
        int background = image.getPixelReader().getArgb((int) image.getWidth() - 30, (int) image.getHeight() - 30);
        int differing = 0;
        for (int y = 2; y < image.getHeight() - 20; y += 2) {
            for (int x = 2; x < image.getWidth() - 20; x += 2) {
                if (image.getPixelReader().getArgb(x, y) != background) {
                    differing++;
                }
            }
        }
        return differing;
    }
}
