package org.rigdesk.app.screenshots;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.image.WritableImage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobList;
import org.rigdesk.api.wire.LendingRequest;
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.api.wire.RunnerTestJob;
import org.rigdesk.app.shell.Png;
import org.rigdesk.app.shell.Shell;
import org.rigdesk.app.shell.UiHarness;
import org.rigdesk.app.tray.TrayModel;
import org.rigdesk.app.tray.TrayState;
import org.rigdesk.testkit.FakeGitHub;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.testkit.OwnerProcesses;
import org.testfx.util.WaitForAsyncUtils;

/**
 * {@code mvn -Pscreenshots verify -pl app -am}: every page of the window against the demo rig, in
 * the light and the dark theme, written to {@code app/target/screenshots/PAGE-THEME.png}. The rig
 * is made to look lived-in first: one RTX 3060 on vfio-pci and one on the host, the runner
 * registered with a GitHub stand-in, a local job and a GitHub test job finished.
 */
@Tag("screenshots")
class Screenshots {

    static final List<String> PAGES = List.of("gpus", "jobs", "runner", "caches", "telemetry", "host", "settings");

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

    /**
     * The GPU cards in each lending state, and the tray's menu, light and dark: lent (a warm slot)
     * and on demand; coming back while a job runs, and wanted but kept because the owner uses it;
     * moving (a second daemon whose emulated kernel is slow, so the move can be seen).
     */
    @Test
    void lendingStatesAndTheTrayMenu() throws Exception {
        DaemonProcess.requireTestImage();
        Path out = Files.createDirectories(Path.of("target", "screenshots"));
        try (FakeGitHub github = new FakeGitHub("/repos/octo/gpu-ci");
             DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop").withArgs("--runner-poll-ms", "1000",
                     "--cancel-grace", "1", "--sample-interval", "500", "--lending-retry-seconds", "2").start();
             DaemonClient client = daemon.client()) {
            Shell shell = UiHarness.open(daemon.socket());
            try {
                Thread.sleep(1500);
                client.send("PUT", "/v1/gpus/0000:02:00.0/lending", new LendingRequest("on-demand", null, 300), Gpu.class);
                client.send("PUT", "/v1/gpus/0000:01:00.0/lending", new LendingRequest("ci", null, null), Gpu.class);
                client.send("PUT", "/v1/runner", new RunnerRegistration("https://github.com/octo/gpu-ci",
                        FakeGitHub.GOOD_TOKEN, List.of("whisper"), "rigdesk", null, github.apiUrl(), 1, 0, 1, 256, null,
                        null, 2), RunnerStatus.class);
                Await.value(() -> client.get("/v1/runner", RunnerStatus.class), r -> r.slots().stream()
                        .anyMatch(slot -> RunnerStatus.Slot.IDLE.equals(slot.state())), 180, "the warm slot listens");
                bothThemes(shell, "gpus", out, "gpus-lending-lent-standby");
                trayMenu(shell, out, "tray-menu-lent-standby");

                // The warm slot runs a long job; a second GPU job waits, and the on-demand card is the owner's.
                client.send("POST", "/v1/runner/test-job", new RunnerTestJob(true, "octo/gpu-ci", "Transcribe",
                        "whisper", 9001L, 1, "echo transcribing\nsleep 600"), Map.class);
                Await.value(() -> client.get("/v1/runner", RunnerStatus.class), r -> r.slots().stream()
                        .anyMatch(slot -> RunnerStatus.Slot.BUSY.equals(slot.state())), 180, "the warm slot is busy");
                OwnerProcesses.hold(daemon.sysfsRoot().resolveSibling("proc"), 4242, "python3", "/dev/nvidia1");
                github.queue("octo/gpu-ci", 0, "render", List.of("self-hosted", "gpu"));
                Await.value(() -> client.get("/v1/gpus/0000:02:00.0", Gpu.class),
                        g -> "blocked".equals(g.lending().state()), 60, "the on-demand card is kept on the desk");
                client.send("POST", "/v1/gpus/0000:01:00.0/reclaim", Map.of(), Gpu.class);
                Await.value(() -> client.get("/v1/gpus/0000:01:00.0", Gpu.class),
                        g -> "returning".equals(g.lending().state()), 30, "the lent card waits for its job");
                bothThemes(shell, "gpus", out, "gpus-lending-returning-blocked");
                trayMenu(shell, out, "tray-menu-returning-blocked");
                bothThemes(shell, "runner", out, "runner-queued");
            } finally {
                UiHarness.close(shell);
            }
        }
        try (FakeGitHub github = new FakeGitHub("/repos/octo/gpu-ci");
             DaemonProcess slow = new DaemonProcess(dir.resolve("slow")).simulate("desktop")
                     .withArgs("--emulated-write-delay-ms", "2500", "--sysfs-write-timeout-ms", "20000").start();
             DaemonClient client = slow.client()) {
            Shell shell = UiHarness.open(slow.socket());
            try {
                client.send("PUT", "/v1/gpus/0000:01:00.0/lending", new LendingRequest("on-demand", null, 300), Gpu.class);
                client.send("PUT", "/v1/runner", new RunnerRegistration("https://github.com/octo/gpu-ci",
                        FakeGitHub.GOOD_TOKEN, List.of(), "rigdesk", null, github.apiUrl(), 0, 0, 1, 256, null, null, 2),
                        RunnerStatus.class);
                github.queue("octo/gpu-ci", 0, "whisper", List.of("self-hosted", "gpu"));
                Await.value(() -> client.get("/v1/gpus/0000:01:00.0", Gpu.class),
                        g -> "moving".equals(g.lending().state()), 60, "the card moves for the job");
                bothThemes(shell, "gpus", out, "gpus-lending-moving");
            } finally {
                UiHarness.close(shell);
            }
        }
    }

    /**
     * Every state a GPU card can be in, side by side, light and dark: the vocabulary's whole range
     * (including the moving and unbound modes, which a lived-in rig shows only for a moment).
     */
    @Test
    void everyGpuCardStateInBothThemes() throws Exception {
        Path out = Files.createDirectories(Path.of("target", "screenshots"));
        org.rigdesk.app.testing.InMemoryRigdesk api = new org.rigdesk.app.testing.InMemoryRigdesk();
        String[][] states = {
            {"host", null, "desk", "desk", "On your desk"},
            {"vfio", null, "ci", "lent", "Lent to CI"},
            {"vfio", "7", "ci", "lent", "Lent to CI"},
            {"vfio", "8", "ci", "lent", "Lent to CI"},
            {"changing", null, "ci", "moving", "Moving to a VM"},
            {"unbound", null, "desk", "desk", "On your desk"},
            {"host", null, "on-demand", "standby", "On demand: on the host until a job asks"},
            {"host", null, "on-demand", "moving", "Moving to a VM for job render of octo/gpu-ci"},
            {"vfio", null, "desk", "returning", "Coming back to your desk"},
            {"host", null, "on-demand", "blocked", "Wanted for CI, kept on your desk: held open by 4242 (python3)"}};
        for (int i = 0; i < states.length; i++) {
            String[] s = states[i];
            Gpu gpu = org.rigdesk.app.testing.InMemoryRigdesk.gpu(String.format("0000:%02x:00.0", i + 1), "GeForce RTX 3060",
                    org.rigdesk.api.wire.GpuMode.of(s[0]).orElseThrow(), s[1]);
            api.with(gpu.withLending(org.rigdesk.app.testing.InMemoryRigdesk.lending(s[2], s[3], s[4])));
        }
        // Quarantined by the health gate after a job (PCIe errors grew while it ran).
        Gpu lent = org.rigdesk.app.testing.InMemoryRigdesk.gpu("0000:0b:00.0", "GeForce RTX 3060",
                org.rigdesk.api.wire.GpuMode.VFIO, null);
        api.with(new Gpu(lent.bdf(), lent.vendorId(), lent.deviceId(), lent.vendor(), lent.name(), lent.pciClass(),
                lent.driver(), lent.mode(), lent.iommuGroup(), false, 0, null, List.of(), lent.passthrough(), null,
                org.rigdesk.app.testing.InMemoryRigdesk.lending("ci", "lent", "Lent to CI"),
                new Gpu.Health(false, java.time.Instant.now().toString(), List.of(new Gpu.Blocker("unhealthy",
                        "PCIe errors during the job: 0 fatal, 3 non-fatal (AER)", "Reboot the host")))));
        org.rigdesk.app.gpus.GpusViewModel model = new org.rigdesk.app.gpus.GpusViewModel(api, Runnable::run,
                Runnable::run, org.rigdesk.app.ui.Dialogs.YES);
        Job ready = org.rigdesk.app.testing.InMemoryRigdesk.job(7, JobState.READY.wire(), List.of("0000:03:00.0"));
        Job running = new Job(8, Job.KIND_GITHUB, "octo/gpu-ci / CI / render", JobState.RUNNING.wire(), List.of("0000:04:00.0"),
                false, "qemu", "tcg", 2, 4096, 3600, null, java.time.Instant.now(), null, null, 0, null, "octo/gpu-ci",
                "CI", "render", 42L, 1);
        Scene[] scene = new Scene[1];
        org.testfx.api.FxToolkit.registerPrimaryStage();
        org.testfx.api.FxToolkit.setupStage(stage -> {
            model.reload();
            model.onJobs(List.of(ready, running));
            javafx.scene.layout.GridPane grid = new javafx.scene.layout.GridPane();
            grid.setHgap(12);
            grid.setVgap(12);
            grid.setPadding(new javafx.geometry.Insets(16));
            for (int i = 0; i < model.cards().size(); i++) {
                org.rigdesk.app.gpus.GpuCardView card = new org.rigdesk.app.gpus.GpuCardView(model.cards().get(i));
                card.setPrefWidth(340);
                grid.add(card, i % 4, i / 4);
            }
            // Drawn off screen: a Group keeps the grid at its own size, larger than the virtual screen.
            javafx.scene.layout.StackPane page = new javafx.scene.layout.StackPane(grid);
            page.setId("card-states");
            page.setStyle("-fx-background-color: -color-bg-default;");
            scene[0] = new Scene(new javafx.scene.Group(page), 800, 600);
            org.rigdesk.app.shell.RigdeskApp.style(scene[0]);
            stage.setScene(scene[0]);
            stage.show();
        });
        try {
            for (String theme : List.of("light", "dark")) {
                Platform.runLater(() -> org.rigdesk.app.shell.RigdeskApp.applyTheme(theme));
                Thread.sleep(800);
                WritableImage[] image = new WritableImage[1];
                WaitForAsyncUtils.asyncFx(() -> image[0] = scene[0].lookup("#card-states").snapshot(null, null))
                        .get(10, TimeUnit.SECONDS);
                Png.of(image[0]).write(out.resolve("gpu-card-states-" + theme + ".png"));
            }
        } finally {
            Platform.runLater(() -> org.rigdesk.app.shell.RigdeskApp.applyTheme("light"));
            org.testfx.api.FxToolkit.cleanupStages();
        }
    }

    private static void bothThemes(Shell shell, String page, Path out, String name) throws Exception {
        for (String theme : List.of("light", "dark")) {
            Platform.runLater(() -> {
                shell.settings().themeProperty().set(theme);
                shell.window().show(page);
            });
            Thread.sleep(1500);
            save(shell.root().getScene(), out.resolve(name + "-" + theme + ".png"));
        }
        Platform.runLater(() -> shell.settings().themeProperty().set("light"));
    }

    /**
     * The tray's menu as the tray gets it (TrayModel over the window's jobs, runner and GPUs), drawn
     * as a JavaFX context menu: the desktop draws the real one (dbusmenu), which Xvfb has not.
     */
    private static void trayMenu(Shell shell, Path out, String name) throws Exception {
        for (String theme : List.of("light", "dark")) {
            Platform.runLater(() -> shell.settings().themeProperty().set(theme));
            Thread.sleep(500);
            trayMenuIn(shell, out, name + "-" + theme);
        }
        Platform.runLater(() -> shell.settings().themeProperty().set("light"));
    }

    private static void trayMenuIn(Shell shell, Path out, String name) throws Exception {
        WritableImage[] image = new WritableImage[1];
        WaitForAsyncUtils.asyncFx(() -> {
            TrayState state = TrayModel.of(true, List.copyOf(shell.jobs().all()), shell.runner().statusProperty().get(),
                    null, shell.gpus().cards().stream().map(c -> c.gpuProperty().get()).toList());
            ContextMenu menu = new ContextMenu();
            for (TrayState.MenuItem item : state.menu()) {
                if (item.label().isEmpty()) {
                    menu.getItems().add(new SeparatorMenuItem());
                } else {
                    MenuItem entry = new MenuItem(item.label());
                    entry.setDisable(!item.enabled());
                    menu.getItems().add(entry);
                }
            }
            menu.show(shell.root().getScene().getWindow(), 0, 0);
            return menu;
        }).get(10, TimeUnit.SECONDS);
        Thread.sleep(800);
        WaitForAsyncUtils.asyncFx(() -> {
            javafx.stage.Window popup = javafx.stage.Window.getWindows().stream()
                    .filter(ContextMenu.class::isInstance).findFirst().orElseThrow();
            image[0] = popup.getScene().snapshot(null);
            ((ContextMenu) popup).hide();
        }).get(10, TimeUnit.SECONDS);
        Png.of(image[0]).write(out.resolve(name + ".png"));
        System.out.println("screenshot: " + out.resolve(name + ".png").toAbsolutePath());
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
