package org.rigdesk.app.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.testkit.DaemonProcess;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** The real window against a real daemon, driven through TestFX (headless Monocle). */
class ShellUiTest {

    @TempDir
    Path dir;
    private final FxRobot robot = new FxRobot();
    private Shell shell;

    @BeforeEach
    void primaryStage() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void close() throws Exception {
        FxToolkit.cleanupStages();
        if (shell != null) {
            shell.close();
        }
    }

    private void open(Path socket) throws Exception {
        FxToolkit.setupStage(stage -> {
            shell = new Shell(socket);
            Scene scene = new Scene(shell.root(), 1000, 700);
            RigdeskApp.style(scene);
            stage.setScene(scene);
            stage.show();
            shell.start();
        });
    }

    private String text(String query) {
        return robot.lookup(query).queryAs(Label.class).getText();
    }

    private void awaitText(String query, String expected) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> expected.equals(text(query)));
    }

    @Test
    void connectedWindowShowsTheHostChecks() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(dir).start()) {
            open(daemon.socket());
            awaitText("#connection-state", "Connected");
            assertTrue(robot.lookup("#simulated-badge").query().isVisible(), "simulated badge shown");
            robot.clickOn("#nav-host");
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#check-iommu").queryAll().isEmpty());
            Node iommu = robot.lookup("#check-iommu").query();
            String iommuText = iommu.lookupAll(".label").stream().filter(Label.class::isInstance)
                    .map(n -> ((Label) n).getText()).reduce("", (a, b) -> a + "|" + b);
            assertTrue(iommuText.contains("✗") && iommuText.contains("IOMMU enabled") && iommuText.contains("required")
                    && iommuText.contains("intel_iommu=on"), iommuText);
            assertTrue(text("#host-summary").contains("required checks fail"), text("#host-summary"));
            assertEquals(1, robot.lookup("#check-vmm-qemu-system-x86_64").queryAll().size());
            assertTrue(text("#host-daemon").contains("pid " + daemon.process().pid()), text("#host-daemon"));
        }
    }

    @Test
    void withoutADaemonItSaysSoAndReconnectsWhenOneStarts() throws Exception {
        DaemonProcess daemon = new DaemonProcess(dir);
        open(daemon.socket());
        awaitText("#connection-state", "Daemon not running");
        assertTrue(text("#connection-remedy").contains("systemctl start rigdeskd"), text("#connection-remedy"));
        assertTrue(robot.lookup("#connection-remedy").query().isVisible());
        try (DaemonProcess started = daemon.start()) {
            awaitText("#connection-state", "Connected");
            assertTrue(!robot.lookup("#connection-remedy").query().isVisible(), "remedy hidden once connected");
            started.stop();
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !"Connected".equals(text("#connection-state")));
        }
    }
}
