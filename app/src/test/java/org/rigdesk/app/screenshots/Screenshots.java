package org.rigdesk.app.screenshots;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobList;
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.api.wire.RunnerTestJob;
import org.rigdesk.app.shell.Png;
import org.rigdesk.app.shell.Shell;
import org.rigdesk.app.shell.UiHarness;
import org.rigdesk.daemon.github.FakeGitHub;
import org.rigdesk.daemon.testing.Await;
import org.rigdesk.daemon.testing.DaemonProcess;
import org.testfx.util.WaitForAsyncUtils;

/**
 * {@code mvn -Pscreenshots verify -pl app -am}: every page of the window against the demo rig, in
 * the light and the dark theme, written to {@code app/target/screenshots/PAGE-THEME.png}. The rig
 * is made to look lived-in first: one RTX 3060 on vfio-pci and one on the host, the runner
 * registered with a GitHub stand-in, a local job and a GitHub test job finished.
 */
@Tag("screenshots")
class Screenshots {

    static final List<String> PAGES = List.of("gpus", "jobs", "runner", "telemetry", "host", "settings");

    @TempDir
    Path dir;

    @Test
    void everyPageInBothThemes() throws Exception {
        DaemonProcess.requireTestImage();
        Path out = Files.createDirectories(Path.of("target", "screenshots"));
        try (FakeGitHub github = new FakeGitHub("/repos/octo/gpu-ci");
             DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop")
                     .withArgs("--runner-poll-ms", "1000", "--cancel-grace", "1", "--sample-interval", "500").start();
             DaemonClient client = daemon.client()) {
            Shell shell = UiHarness.open(daemon.socket());
            try {
                // Before the runner is registered: its page is the registration form.
                Platform.runLater(() -> shell.window().show("runner"));
                Thread.sleep(1500);
                save(shell.root().getScene(), out.resolve("runner-register-light.png"));
                livedIn(client, github);
                for (String theme : List.of("light", "dark")) {
                    Platform.runLater(() -> shell.settings().themeProperty().set(theme)); // as the Settings page does
                    for (String page : PAGES) {
                        Platform.runLater(() -> shell.window().show(page));
                        if (page.equals("jobs")) {
                            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !shell.jobs().all().isEmpty());
                            Platform.runLater(() -> shell.jobs().all().stream().filter(j -> j.repository() != null)
                                    .findFirst().ifPresent(j -> shell.jobs().selectedProperty().set(j)));
                        }
                        Thread.sleep(2500); // live pages settle: samples, sparklines, the log
                        save(shell.root().getScene(), out.resolve(page + "-" + theme + ".png"));
                        if (page.equals("jobs")) {
                            tab(shell, 1); // the selected job's network
                            Thread.sleep(1500);
                            save(shell.root().getScene(), out.resolve("jobs-network-" + theme + ".png"));
                            tab(shell, 0);
                        }
                    }
                }
            } finally {
                Platform.runLater(() -> shell.settings().themeProperty().set("light")); // leave the user's choice as found
                Thread.sleep(200);
                UiHarness.close(shell);
            }
        }
    }

    /** Selects a tab of the Jobs page's detail (0 the log, 1 the network). */
    private static void tab(Shell shell, int index) throws Exception {
        WaitForAsyncUtils.asyncFx(() -> ((javafx.scene.control.TabPane) shell.root().lookup(".tab-pane"))
                .getSelectionModel().select(index)).get(10, TimeUnit.SECONDS);
    }

    /** GPUs in both modes, the runner registered, a local and a GitHub job done. */
    private static void livedIn(DaemonClient client, FakeGitHub github) throws Exception {
        Thread.sleep(1500); // a few samples, so the cards have sparklines and the labels a memory size
        client.send("PUT", "/v1/gpus/0000:01:00.0/mode", Map.of("mode", "vfio"), Gpu.class);
        client.send("POST", "/v1/jobs", Map.of("name", "numpy smoke test", "script",
                "echo collecting tests\nfor i in 1 2 3; do echo \"test_$i ... ok\"; done\necho 3 passed", "cpus", 1,
                "memoryMiB", 256), Job.class);
        client.send("PUT", "/v1/runner", new RunnerRegistration("https://github.com/octo/gpu-ci",
                FakeGitHub.GOOD_TOKEN, List.of("whisper"), "rigdesk", null, github.apiUrl(), 1, 1, 1, 256),
                RunnerStatus.class);
        Await.value(() -> client.get("/v1/runner", RunnerStatus.class),
                s -> s.slots().stream().allMatch(slot -> RunnerStatus.Slot.IDLE.equals(slot.state())), 180, "slots idle");
        client.send("POST", "/v1/runner/test-job", new RunnerTestJob(true, "octo/gpu-ci", "Transcribe", "whisper",
                7741L, 1, "echo loading whisper medium\nnslookup huggingface.co >/dev/null 2>&1\n"
                + "wget -q -O /dev/null http://192.168.1.10:8080/models/ || echo 'LAN cache refused'\n"
                + "echo transcribing interview.wav\necho done in 41.2 s"), Map.class);
        Await.value(() -> client.get("/v1/jobs", JobList.class).jobs(), jobs -> jobs.stream()
                .anyMatch(j -> j.repository() != null && j.finished()), 180, "the GitHub job finishes");
        Await.value(() -> client.get("/v1/runner", RunnerStatus.class),
                s -> s.slots().stream().allMatch(slot -> RunnerStatus.Slot.IDLE.equals(slot.state())), 180, "refilled");
    }

    private static void save(Scene scene, Path file) throws Exception {
        WritableImage[] image = new WritableImage[1];
        WaitForAsyncUtils.asyncFx(() -> image[0] = scene.snapshot(null)).get(10, TimeUnit.SECONDS);
        try {
            Png.of(image[0]).write(file);
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        System.out.println("screenshot: " + file.toAbsolutePath());
    }
}
