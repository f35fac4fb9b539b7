package org.rigdesk.daemon.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.client.DaemonException;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;

/**
 * Rule 1 under fire: a toggle to the host and a job asking for the same card, sent at the same
 * instant, round after round, to a real daemon whose emulated kernel takes 25 ms a sysfs write.
 * In every round exactly one of them gets the card: never both (a VM on a card that is being
 * unbound hangs the kernel), never neither.
 */
class GpuLeaseRaceTest {

    private static final String CARD = "0000:01:00.0";
    private static final int ROUNDS = 16;

    @TempDir
    Path dir;

    @Test
    void aToggleAndAJobNeverBothGetTheCard() throws Exception {
        DaemonProcess.requireTestImage();
        ExecutorService senders = Executors.newFixedThreadPool(2);
        try (DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop")
                .withArgs("--emulated-write-delay-ms", "25", "--cancel-grace", "1").start();
             DaemonClient toggles = daemon.client(); DaemonClient jobs = daemon.client()) {
            List<String> outcomes = new ArrayList<>();
            int toggleWins = 0;
            for (int round = 0; round < ROUNDS; round++) {
                toggles.send("PUT", "/v1/gpus/" + CARD + "/mode", Map.of("mode", "vfio"), Gpu.class);
                String name = "race " + round;
                CyclicBarrier start = new CyclicBarrier(2);
                CompletableFuture<Object> toggle = CompletableFuture.supplyAsync(() -> attempt(start,
                        () -> toggles.send("PUT", "/v1/gpus/" + CARD + "/mode", Map.of("mode", "host"), Gpu.class)),
                        senders);
                CompletableFuture<Object> submit = CompletableFuture.supplyAsync(() -> attempt(start,
                        () -> jobs.send("POST", "/v1/jobs", new JobRequest(name, "sleep 60",
                                JsonNodeFactory.instance.arrayNode().add(CARD), 1, 256, null, null, null), Job.class)),
                        senders);
                Object toggled = toggle.get();
                Object submitted = submit.get();
                boolean toggleWon = toggled instanceof Gpu gpu && gpu.is(GpuMode.HOST);
                // The POST returns after the scheduler's first try: a job still queued now waits for a
                // card the toggle has taken, and would get it only if it came back.
                Job job = submitted instanceof Job queued ? jobs.get("/v1/jobs/" + queued.id(), Job.class) : null;
                boolean jobWon = job != null && !job.is(JobState.QUEUED) && job.gpus().contains(CARD);
                String outcome = "round " + round + ": toggle " + describe(toggled) + ", job " + describe(submitted)
                        + (job == null ? "" : " now " + job.state());
                outcomes.add(outcome);
                assertTrue(toggleWon != jobWon, (toggleWon ? "both got the card" : "neither got the card") + "; "
                        + outcomes);
                if (jobWon) {
                    assertTrue(toggled instanceof DaemonException refused
                            && refused.problem().detail().contains("in use by job " + job.id()), outcome);
                    assertEquals("vfio-pci", toggles.get("/v1/gpus/" + CARD, Gpu.class).driver(), outcome);
                }
                toggleWins += toggleWon ? 1 : 0;
                if (job != null) {
                    jobs.send("POST", "/v1/jobs/" + job.id() + "/cancel", Map.of(), Job.class);
                    Await.until(() -> finished(jobs, job.id()), 60, "job " + job.id() + " to end");
                }
            }
            System.out.println("GpuLeaseRaceTest: the toggle won " + toggleWins + " of " + ROUNDS + " rounds, "
                    + "the job " + (ROUNDS - toggleWins));
        } finally {
            senders.shutdownNow();
        }
    }

    private interface Call {
        Object send() throws Exception;
    }

    private static Object attempt(CyclicBarrier start, Call call) {
        try {
            start.await();
            return call.send();
        } catch (DaemonException refused) {
            return refused;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Object outcome) {
        if (outcome instanceof DaemonException refused) {
            return "refused (" + refused.problem().detail() + ")";
        }
        if (outcome instanceof Gpu gpu) {
            return "done (" + gpu.mode() + ")";
        }
        return outcome instanceof Job job ? "queued as " + job.id() : String.valueOf(outcome);
    }

    private static boolean finished(DaemonClient client, long id) {
        try {
            return client.get("/v1/jobs/" + id, Job.class).finished();
        } catch (Exception e) {
            return false;
        }
    }
}
