package org.rigdesk.daemon.lending;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.AuditEntry;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.LendingRequest;
import org.rigdesk.api.wire.ReclaimRequest;
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.testkit.FakeGitHub;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.BenchReport;
import org.rigdesk.testkit.DaemonProcess;

/**
 * A queued GPU job to a runner listening on an on-demand card, at the default queue poll (15 s):
 * how long until the pool saw the job and lent the card (the poll), until the card was on vfio-pci
 * (the toggle, emulated kernel here), and until the runner in its fresh VM listened (the boot,
 * QEMU TCG here). Each job is queued just after a read of the queue, so the poll is its worst case.
 * Timed from the daemon's audit log and the slot's state change, not the test's.
 */
@Tag("bench")
class OnDemandBench {

    private static final int ROUNDS = 5;
    private static final String REPO = "octo/gpu-ci";
    private static final String CARD = "0000:01:00.0";

    @TempDir
    Path dir;

    @Test
    void queuedJobToListeningRunnerOnAnOnDemandCard() throws Exception {
        DaemonProcess.requireTestImage();
        List<Double> poll = new ArrayList<>();
        List<Double> toggle = new ArrayList<>();
        List<Double> boot = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        try (FakeGitHub github = new FakeGitHub("/repos/" + REPO);
             DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop").start();
             DaemonClient client = daemon.client()) {
            client.send("PUT", "/v1/runner", new RunnerRegistration("https://github.com/" + REPO, FakeGitHub.GOOD_TOKEN,
                    List.of(), "rigdesk", null, github.apiUrl(), 0, 0, 1, 512), RunnerStatus.class);
            for (int round = 0; round < ROUNDS; round++) {
                client.send("PUT", "/v1/gpus/" + CARD + "/lending", new LendingRequest("on-demand", null, 300), Gpu.class);
                Instant queued = Instant.now();
                long job = github.queue(REPO, 0, "bench " + round, List.of("self-hosted", "gpu"));
                RunnerStatus.Slot idle = Await.value(() -> client.get("/v1/runner", RunnerStatus.class),
                        r -> r.slots().stream().anyMatch(s -> RunnerStatus.Slot.IDLE.equals(s.state())), 300,
                        "the runner listens").slots().stream()
                        .filter(s -> RunnerStatus.Slot.IDLE.equals(s.state())).findFirst().orElseThrow();
                Instant lent = latest(client, "runner.on-demand", queued);
                Instant moved = latest(client, "gpu.lend", queued);
                poll.add(seconds(queued, lent));
                toggle.add(seconds(lent, moved));
                boot.add(seconds(moved, idle.since()));
                total.add(seconds(queued, idle.since()));
                client.send("POST", "/v1/gpus/" + CARD + "/reclaim", new ReclaimRequest(false), Gpu.class);
                github.setJobStatus(job, "completed");
                Await.until(() -> {
                    try {
                        return GpuMode.HOST.wire().equals(client.get("/v1/gpus/" + CARD, Gpu.class).mode())
                                && client.get("/v1/runner", RunnerStatus.class).slots().isEmpty();
                    } catch (java.io.IOException e) {
                        return false;
                    }
                }, 120, "the card is back");
                // The next round starts once the pool has read the queue without this job (else it lends for the stale one).
                long reads = runsReads(github);
                Await.until(() -> runsReads(github) >= reads + 2, 60, "the queue is read again");
            }
        }
        BenchReport.row("on-demand: queued job → runner listening", String.format("%.1f", BenchReport.median(total)),
                "s (median of " + ROUNDS + ")", String.format("poll %.1f s (queued just after a read: the worst case of the 15 s period), toggle %.2f s (emulated kernel), "
                        + "boot %.1f s (QEMU TCG); runs %s, polls %s", BenchReport.median(poll), BenchReport.median(toggle),
                        BenchReport.median(boot), total.stream().map(t -> String.format("%.1f", t)).toList(),
                        poll.stream().map(t -> String.format("%.1f", t)).toList()));
    }

    private static Instant latest(DaemonClient client, String action, Instant after) throws java.io.IOException {
        return client.get("/v1/audit?limit=50", org.rigdesk.api.wire.AuditLog.class).entries().stream()
                .filter(e -> e.action().equals(action) && "ok".equals(e.outcome()) && !e.at().isBefore(after))
                .map(AuditEntry::at).min(Instant::compareTo).orElseThrow(() -> new AssertionError("no " + action));
    }

    private static long runsReads(FakeGitHub github) {
        return github.requests.stream().filter(r -> r.equals("GET /repos/" + REPO + "/actions/runs")).count();
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
