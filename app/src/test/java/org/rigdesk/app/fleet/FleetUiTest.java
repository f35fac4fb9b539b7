package org.rigdesk.app.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.image.WritableImage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuList;
import org.rigdesk.app.contexts.ContextStore;
import org.rigdesk.app.contexts.Rigs;
import org.rigdesk.app.shell.Png;
import org.rigdesk.app.shell.Shell;
import org.rigdesk.app.shell.UiHarness;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.testkit.TestSshd;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Two rigs in one window: this machine's daemon and a second one behind a real sshd. The Fleet
 * page shows both; the rig drops off when sshd stops (ssh's reason shown) and comes back by
 * itself; the window opened on the lab's context shows the lab's GPUs.
 */
class FleetUiTest {

    @TempDir
    Path dir;
    private final FxRobot robot = new FxRobot();
    private DaemonProcess local;
    private DaemonProcess lab;
    private TestSshd sshd;
    private Shell shell;
    private Map<String, String> env;

    @BeforeEach
    void open() throws Exception {
        assumeTrue(Files.isExecutable(TestSshd.SSHD), "needs openssh-server (./dev test installs it)");
        local = new DaemonProcess(dir.resolve("local")).simulate("desktop").start();
        lab = new DaemonProcess(dir.resolve("lab")).simulate("lab").start();
        sshd = new TestSshd(dir.resolve("sshd")).start();
        env = Map.of("XDG_CONFIG_HOME", dir.resolve("config").toString(),
                "XDG_RUNTIME_DIR", dir.resolve("run").toString(), Rigs.ENV_SSH, sshd.sshProgram().toString());
        ContextStore.of(env).add("lab", "ssh://" + sshd.user() + "@127.0.0.1:" + sshd.port() + lab.socket());
        shell = UiHarness.open(local.socket(), env);
        // As `rigdesk --context lab` opens it: the lab's pages, once the fleet lists the lab.
        WaitForAsyncUtils.asyncFx(() -> shell.window().chooseRig("lab")).get(5, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !robot.lookup("#nav-fleet").queryAll().isEmpty());
        robot.clickOn("#nav-fleet");
    }

    @AfterEach
    void close() throws Exception {
        UiHarness.close(shell);
        if (sshd != null) {
            sshd.close();
        }
        if (lab != null) {
            lab.close();
        }
        if (local != null) {
            local.close();
        }
    }

    private String reach(String rig) {
        return robot.lookup("#rig-" + rig + "-reach").tryQueryAs(Label.class).map(Label::getText).orElse("");
    }

    private void awaitReach(String rig, String words, int seconds) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> reach(rig).endsWith(words));
    }

    @Test
    void bothRigsShowTheLabDropsOffWithSshsReasonAndComesBackAndTheSwitcherShowsItsGpus() throws Exception {
        awaitReach("local", "Reachable", 30);
        awaitReach("lab", "Reachable", 30);
        WaitForAsyncUtils.waitForFxEvents();
        java.util.List<String> labCards;
        try (DaemonClient client = lab.client()) {
            labCards = client.get("/v1/gpus", GpuList.class).gpus().stream().filter(g -> !g.bootVga())
                    .map(Gpu::bdf).toList();
        }
        String labCard = labCards.get(0);
        String deskOnly = java.util.stream.Stream.of("0000:01:00.0", "0000:02:00.0")
                .filter(b -> !labCards.contains(b)).findFirst().orElseThrow();
        assertTrue(!robot.lookup("#rig-lab-gpu-" + labCard.replaceAll("[:.]", "-")).queryAll().isEmpty(),
                "the lab's cards are on its card");
        save("fleet-two-rigs.png");

        sshd.stop();
        awaitReach("lab", "Unreachable", 20);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#rig-lab-reason").tryQueryAs(Label.class)
                .map(l -> l.getText().contains("Connection refused")).orElse(false));
        assertTrue(reach("local").endsWith("Reachable"), "one rig down never takes the other with it");
        save("fleet-one-unreachable.png");
        sshd.start();
        awaitReach("lab", "Reachable", 30);

        @SuppressWarnings("unchecked")
        ComboBox<String> switcher = robot.lookup("#rig-switcher").queryAs(ComboBox.class);
        assertEquals("lab", switcher.getValue(), "the window opened on the lab shows it in the switch");
        robot.clickOn("#nav-gpus");
        String cardId = "#gpu-" + labCard.replaceAll("[:.]", "-");
        String deskId = "#gpu-" + deskOnly.replaceAll("[:.]", "-");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !robot.lookup(cardId).queryAll().isEmpty()
                && robot.lookup(deskId).queryAll().isEmpty());
        save("gpus-on-lab.png");
    }

    @Test
    void settingsAddsTestsAndRemovesARigAndRefusesWhatSshCouldMisread() throws Exception {
        awaitReach("lab", "Reachable", 30);
        robot.clickOn("#nav-settings");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#rig-endpoint").queryAll().isEmpty());
        String endpoint = "ssh://" + sshd.user() + "@127.0.0.1:" + sshd.port() + lab.socket();
        WaitForAsyncUtils.asyncFx(() -> {
            robot.lookup("#rig-name").queryAs(javafx.scene.control.TextField.class).setText("office");
            robot.lookup("#rig-endpoint").queryAs(javafx.scene.control.TextField.class).setText(endpoint);
        }).get(5, TimeUnit.SECONDS);
        press("#rig-test");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#rig-answer").queryAs(Label.class)
                .getText().startsWith("✓ rigdeskd"));
        press("#rig-add");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#rig-remove-office").queryAll().isEmpty());
        WaitForAsyncUtils.asyncFx(() -> robot.lookup("#page-settings").queryAs(javafx.scene.control.ScrollPane.class)
                .setVvalue(1)).get(5, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        save("settings-rigs.png");
        robot.clickOn("#nav-fleet");
        awaitReach("office", "Reachable", 30);

        robot.clickOn("#nav-settings");
        WaitForAsyncUtils.asyncFx(() -> {
            robot.lookup("#rig-name").queryAs(javafx.scene.control.TextField.class).setText("evil");
            robot.lookup("#rig-endpoint").queryAs(javafx.scene.control.TextField.class)
                    .setText("ssh://-oProxyCommand=touch /tmp/x");
        }).get(5, TimeUnit.SECONDS);
        press("#rig-add");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#rig-problem").queryAs(Label.class)
                .getText().contains("host"));
        assertTrue(robot.lookup("#rig-remove-evil").queryAll().isEmpty(), "refused: not added");

        press("#rig-remove-office");
        robot.clickOn("#nav-fleet");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#rig-office").queryAll().isEmpty());
        assertTrue(ContextStore.of(env).get("office").isEmpty(), "gone from the contexts the CLI reads too");
    }

    /** The Rigs section sits at the foot of Settings, below the fold of a 760 px window: its buttons are fired. */
    private void press(String id) throws Exception {
        WaitForAsyncUtils.asyncFx(() -> robot.lookup(id).queryAs(javafx.scene.control.Button.class).fire())
                .get(5, TimeUnit.SECONDS);
    }

    private void save(String name) throws Exception {
        Path out = Path.of(System.getProperty("rigdesk.screenshots", "target/screenshots"));
        Files.createDirectories(out);
        Scene scene = robot.lookup("#rig-switcher").query().getScene();
        WritableImage[] image = new WritableImage[1];
        WaitForAsyncUtils.asyncFx(() -> image[0] = scene.snapshot(null)).get(10, TimeUnit.SECONDS);
        Png.of(image[0]).write(out.resolve(name));
    }
}
