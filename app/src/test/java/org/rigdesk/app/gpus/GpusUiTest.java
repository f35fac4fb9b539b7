package org.rigdesk.app.gpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.controls.ToggleSwitch;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.app.shell.Shell;
import org.rigdesk.app.shell.UiHarness;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.testkit.OwnerProcesses;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** The GPUs page against a real daemon on the desktop demo rig: toggle, confirm, refusal in place. */
class GpusUiTest {

    private static final String CARD = "#gpu-0000-01-00-0";
    private static final String IGPU = "#gpu-0000-00-02-0";

    @TempDir
    Path dir;
    private final FxRobot robot = new FxRobot();
    private DaemonProcess daemon;
    private Shell shell;

    @BeforeEach
    void open() throws Exception {
        daemon = new DaemonProcess(dir).simulate("desktop").start();
        shell = UiHarness.open(daemon.socket());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !robot.lookup(CARD).queryAll().isEmpty()
                && !robot.lookup(IGPU).queryAll().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
    }

    @AfterEach
    void close() throws Exception {
        UiHarness.close(shell);
        daemon.close();
    }

    /** The switch reacts on its track, not its label. */
    private void flip(String card) throws Exception {
        String track = card + "-toggle .thumb-area";
        // The switch's skin (and so its track) exists only after the first layout pass.
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup(track).queryAll().isEmpty());
        robot.clickOn(robot.lookup(track).queryAs(Node.class));
    }

    private String text(String query) {
        return robot.lookup(query).queryAs(Label.class).getText();
    }

    private void answerDialog(String button) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#confirm-mode").queryAll().isEmpty());
        DialogPane pane = robot.lookup("#confirm-mode").queryAs(DialogPane.class);
        assertTrue(pane.getContentText().contains("0000:01:00.1"), "the dialog lists the audio function:\n"
                + pane.getContentText());
        Node ok = robot.from(pane).lookup((Node n) -> n instanceof Button b && b.getText().equals(button)).query();
        robot.clickOn(ok);
    }

    @Test
    void togglingAsksFirstThenMovesTheCardAndItsAudio() throws Exception {
        assertEquals("⌂ On my desk", text(CARD + "-badge"));
        assertEquals("GPU 1 of 2", text(CARD + "-twin"), "two GeForce RTX 3060 are told apart");
        flip(CARD);
        answerDialog("Keep on my desk");
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(robot.lookup(CARD + "-toggle").queryAs(ToggleSwitch.class).isSelected(), "cancel puts it back");
        assertEquals("nvidia", gpu("0000:01:00.0").driver(), "nothing moved on cancel");

        flip(CARD);
        answerDialog("Lend to CI");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> "○ Lent to CI".equals(text(CARD + "-badge")));
        Gpu now = gpu("0000:01:00.0");
        assertEquals("vfio-pci", now.driver());
        assertEquals("vfio-pci", now.groupDevices().get(0).driver());
        assertEquals("⌂ On my desk", text("#gpu-0000-02-00-0-badge"), "the other card is untouched");
    }

    @Test
    void aRefusalIsShownInPlaceWithItsRemedyAndTheSwitchReturns() throws Exception {
        String second = "#gpu-0000-02-00-0";
        OwnerProcesses.hold(daemon.sysfsRoot().resolveSibling("proc"), 4242, "python3", "/dev/nvidia1");
        flip(second);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#confirm-mode").queryAll().isEmpty());
        DialogPane pane = robot.lookup("#confirm-mode").queryAs(DialogPane.class);
        assertTrue(pane.getHeaderText().contains("(02:00.0)"), "the question names which of the two: "
                + pane.getHeaderText());
        robot.clickOn(robot.from(pane).lookup((Node n) -> n instanceof Button b && b.getText().equals("Lend to CI"))
                .queryAs(Node.class));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> !text(second + "-problem").isEmpty() && !text(second + "-remedy").isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(text(second + "-problem").contains("held open by 4242 (python3)"), text(second + "-problem"));
        assertTrue(text(second + "-remedy").contains("never kills"), text(second + "-remedy"));
        assertTrue(robot.lookup(second + "-remedy").query().isVisible());
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS,
                () -> !robot.lookup(second + "-toggle").queryAs(ToggleSwitch.class).isSelected());
        assertEquals("⌂ On my desk", text(second + "-badge"));
    }

    @Test
    void theBootDisplayIsACompactCardWithNothingToFlip() {
        assertEquals("⌂ On my desk", text(IGPU + "-badge"));
        assertTrue(text(IGPU + "-kept").contains("never lent"), text(IGPU + "-kept"));
        assertFalse(shown(robot.lookup(IGPU + "-toggle").query()), "no switch on the boot display");
        assertFalse(shown(robot.lookup(IGPU + "-readings").query()), "no empty readings either");
        assertTrue(shown(robot.lookup(CARD + "-toggle").query()), "a card that can be lent has its switch");
        assertEquals("", text(IGPU + "-twin"));
    }

    @Test
    void theLendingMenuLendsOnDemandAndBackToTheDeskAndTheCardSaysWhere() throws Exception {
        assertEquals("On your desk", text(CARD + "-lending"));
        robot.clickOn(CARD + "-lending-menu");
        robot.clickOn(CARD + "-lend-on-demand");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> text(CARD + "-lending").equals("On demand: on the host until a job asks"));
        assertEquals("on-demand", gpu("0000:01:00.0").lending().policy());
        assertTrue(robot.lookup(CARD + "-toggle").queryAs(ToggleSwitch.class).isDisabled(),
                "the daemon moves an on-demand card: the switch is not the owner's then");

        robot.clickOn(CARD + "-lending-menu");
        robot.clickOn(CARD + "-lend-ci");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> text(CARD + "-lending").startsWith("Lent to CI"));
        assertEquals("vfio-pci", gpu("0000:01:00.0").driver());
        // The switch follows the inventory the card reads after the lending line (a later pulse).
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> robot.lookup(CARD + "-toggle").queryAs(ToggleSwitch.class).isSelected());

        robot.clickOn(CARD + "-lending-menu");
        robot.clickOn(CARD + "-lend-desk");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> text(CARD + "-lending").equals("On your desk"));
        assertEquals("nvidia", gpu("0000:01:00.0").driver());
        assertFalse(robot.lookup(IGPU + "-lending-menu").query().isVisible(), "the boot display is never lent");
    }

    @Test
    void everyCardControlIsReachableWithTheKeyboard() {
        // Tab from the page's top: focus must land on each card's switch, its Lending menu and its
        // Details, and on the sidebar's GPU entries, in some order, without a mouse.
        java.util.Set<String> reached = new java.util.LinkedHashSet<>();
        robot.interact(() -> robot.lookup("#nav-gpus").query().requestFocus());
        for (int i = 0; i < 60; i++) {
            robot.type(javafx.scene.input.KeyCode.TAB);
            WaitForAsyncUtils.waitForFxEvents();
            Node focused = robot.lookup("#nav-gpus").query().getScene().getFocusOwner();
            for (Node n = focused; n != null; n = n.getParent()) {
                if (n.getId() != null) {
                    reached.add(n.getId());
                    break;
                }
            }
        }
        for (String id : java.util.List.of("gpu-0000-01-00-0-toggle", "gpu-0000-01-00-0-lending-menu",
                "gpu-0000-01-00-0-details", "gpu-0000-02-00-0-toggle")) {
            assertTrue(reached.contains(id), id + " not reached by Tab: " + reached);
        }
        assertTrue(reached.contains("strip-entry-0000-01-00-0"), "the sidebar's GPUs: " + reached);
    }

    /** Whether a node is on screen: it and every parent visible. */
    private static boolean shown(Node node) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return true;
    }

    private Gpu gpu(String bdf) throws Exception {
        try (DaemonClient client = daemon.client()) {
            return client.get("/v1/gpus/" + bdf, Gpu.class);
        }
    }
}
