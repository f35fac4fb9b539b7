package org.rigdesk.daemon.lending;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.LendingRequest;
import org.rigdesk.api.wire.ReclaimRequest;
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.testkit.FakeGitHub;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;

/**
 * kill -9 in the middle of a lend and of a reclaim (the emulated kernel paused after a chosen
 * write): after the restart the card is where its policy wants it, every function of its group is
 * bound to a driver, and no runner of ours is left on GitHub.
 */
class LendingRecoveryTest {

    private static final String REPO = "octo/gpu-ci";
    private static final String CARD = "0000:01:00.0";

    @TempDir
    Path dir;
    FakeGitHub github;

    @BeforeEach
    void gitHub() throws IOException {
        github = new FakeGitHub("/repos/" + REPO);
    }

    @AfterEach
    void closeGitHub() {
        github.close();
    }

    private DaemonProcess daemon(String... args) {
        return new DaemonProcess(dir).simulate("desktop").withArgs("--runner-poll-ms", "500",
                "--lending-retry-seconds", "1").withArgs(args);
    }

    private String register(DaemonClient client) throws IOException {
        return client.send("PUT", "/v1/runner", new RunnerRegistration("https://github.com/" + REPO,
                FakeGitHub.GOOD_TOKEN, List.of(), "rigdesk", null, github.apiUrl(), 0, 0, 1, 512, null, null, 2),
                RunnerStatus.class).ownedPrefix();
    }

    private static String driver(DaemonProcess daemon, String bdf) throws IOException {
        Path link = daemon.sysfsRoot().resolve("bus/pci/devices").resolve(bdf).resolve("driver");
        return Files.isSymbolicLink(link) ? Files.readSymbolicLink(link).getFileName().toString() : "(unbound)";
    }

    private static void assertOnHost(DaemonProcess daemon) throws IOException {
        assertEquals("nvidia", driver(daemon, CARD));
        assertEquals("snd_hda_intel", driver(daemon, "0000:01:00.1"), "the card's audio function is bound too");
    }

    @Test
    void killedMidLendTheCardEndsWhereItsPolicyWantsItAndNothingIsLeft() throws Exception {
        String ours;
        try (DaemonProcess first = daemon("--debug-pause-after-write", "3").start();
             DaemonClient client = first.client()) {
            client.send("PUT", "/v1/gpus/" + CARD + "/lending", new LendingRequest("on-demand", null, 60), Gpu.class);
            ours = register(client);
            github.queue(REPO, 0, "whisper", List.of("self-hosted", "gpu"));
            Await.until(() -> first.log().contains("debug: paused"), 60, "the lend pauses after its third kernel write");
            first.kill();
        }
        github.actionsJobs.keySet().forEach(id -> github.setJobStatus(id, "completed")); // the job went elsewhere
        try (DaemonProcess again = daemon().start(); DaemonClient client = again.client()) {
            Gpu home = Await.value(() -> client.get("/v1/gpus/" + CARD, Gpu.class),
                    g -> g.is(GpuMode.HOST) && "standby".equals(g.lending().state()), 60,
                    "on demand with no job waiting: back on the host");
            assertEquals("on-demand", home.lending().policy());
            assertOnHost(again);
            Await.until(() -> github.named(ours).isEmpty(), 30, "no runner of ours on GitHub");
        }
    }

    @Test
    void killedMidReclaimTheCardComesHomeAndTheOrphanedRunnerIsDeleted() throws Exception {
        String ours;
        try (DaemonProcess first = daemon().start(); DaemonClient client = first.client()) {
            client.send("PUT", "/v1/gpus/" + CARD + "/lending", new LendingRequest("on-demand", null, 300), Gpu.class);
            ours = register(client);
            github.queue(REPO, 0, "whisper", List.of("self-hosted", "gpu"));
            Await.value(() -> client.get("/v1/gpus/" + CARD, Gpu.class), g -> g.is(GpuMode.VFIO), 60, "lent");
        }
        // The restarted daemon finds the card lent and the job still queued: a runner listens on it again.
        try (DaemonProcess second = daemon("--debug-pause-after-write", "2").start();
             DaemonClient client = second.client()) {
            Await.value(() -> client.get("/v1/runner", RunnerStatus.class), r -> r.slots().stream()
                    .anyMatch(s -> CARD.equals(s.gpu()) && RunnerStatus.Slot.IDLE.equals(s.state())), 180,
                    "the on-demand runner listens");
            assertEquals(1, github.named(ours).size());
            CompletableFuture<Gpu> reclaim = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.send("POST", "/v1/gpus/" + CARD + "/reclaim", new ReclaimRequest(false), Gpu.class);
                } catch (IOException e) {
                    return null;
                }
            });
            Await.until(() -> second.log().contains("debug: paused"), 60, "the return pauses after its second kernel write");
            second.kill();
            reclaim.cancel(true);
        }
        try (DaemonProcess third = daemon().start(); DaemonClient client = third.client()) {
            Gpu home = Await.value(() -> client.get("/v1/gpus/" + CARD, Gpu.class),
                    g -> g.is(GpuMode.HOST), 60, "reclaimed: on the desk");
            assertEquals("desk", home.lending().policy());
            assertOnHost(third);
            Await.until(() -> github.named(ours).isEmpty(), 60, "the runner its VM served is deleted from GitHub");
            Thread.sleep(3000);
            assertEquals(GpuMode.HOST.wire(), client.get("/v1/gpus/" + CARD, Gpu.class).mode(),
                    "the job still queued does not take a desk card");
        }
    }
}
