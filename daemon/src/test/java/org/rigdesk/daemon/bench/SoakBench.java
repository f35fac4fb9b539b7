package org.rigdesk.daemon.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.client.DaemonException;
import org.rigdesk.api.client.EventListener;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobList;
import org.rigdesk.testkit.BenchReport;
import org.rigdesk.testkit.DaemonProcess;

/**
 * 64 clients at once on the demo rig, each mixing reads, SSE subscriptions, job submissions and
 * GPU toggles, for {@code -Drigdesk.soak.seconds} (60 by default; the soak is 300). An
 * error is a 5xx or a broken connection; refusals (409 while a card changes, a full queue) are
 * answers. Reports requests, errors, and the daemon's RSS at start and end.
 */
@Tag("bench")
class SoakBench {

    @TempDir
    Path dir;

    @Test
    void sixtyFourClients() throws Exception {
        DaemonProcess.requireTestImage();
        long seconds = Long.getLong("rigdesk.soak.seconds", 60);
        try (DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop").withArgs("--cancel-grace", "1")
                .withEnv("JAVA_TOOL_OPTIONS", ApiBench.daemonFlags()).start()) {
            long rssStart = ApiBench.rssMiB(daemon.process().pid());
            AtomicLong requests = new AtomicLong();
            AtomicLong refusals = new AtomicLong();
            List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            AtomicLong rssPeak = new AtomicLong(rssStart);
            long pid = daemon.process().pid();
            var sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> {
                try {
                    rssPeak.accumulateAndGet(ApiBench.rssMiB(pid), Math::max);
                } catch (java.io.IOException gone) {
                    // the daemon died: the clients report it
                }
            }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
            ExecutorService pool = Executors.newFixedThreadPool(64);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < 64; c++) {
                int seed = c;
                clients.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    try (DaemonClient client = daemon.client()) {
                        while (System.nanoTime() < end) {
                            int pick = random.nextInt(100);
                            try {
                                if (pick < 80) {
                                    client.getText(List.of("/v1/gpus", "/v1/jobs", "/v1/telemetry", "/v1/info",
                                            "/v1/runner", "/v1/settings", "/metrics").get(random.nextInt(7)));
                                } else if (pick < 90) {
                                    String bdf = random.nextBoolean() ? "0000:01:00.0" : "0000:02:00.0";
                                    client.send("PUT", "/v1/gpus/" + bdf + "/mode",
                                            Map.of("mode", random.nextBoolean() ? "vfio" : "host"), Map.class);
                                } else if (pick < 95) {
                                    client.send("POST", "/v1/jobs", Map.of("script", "echo soak", "cpus", 1,
                                            "memoryMiB", 128, "timeoutSeconds", 60), Job.class);
                                } else {
                                    var events = client.events(new EventListener() {
                                        @Override
                                        public void onEvent(String type, String data) {
                                        }

                                        @Override
                                        public void onClosed(Throwable failure) {
                                        }
                                    });
                                    Thread.sleep(500);
                                    events.cancel();
                                }
                                requests.incrementAndGet();
                            } catch (DaemonException e) {
                                requests.incrementAndGet();
                                if (e.status() >= 500) {
                                    errors.add(e.status() + " " + e.getMessage());
                                } else {
                                    refusals.incrementAndGet();
                                }
                            }
                        }
                    } catch (Exception e) {
                        errors.add(e.toString());
                    }
                    return null;
                }));
            }
            for (Future<?> client : clients) {
                client.get();
            }
            pool.shutdown();
            sampler.shutdownNow();
            long rssEnd = ApiBench.rssMiB(pid);
            try (DaemonClient client = daemon.client()) {
                for (Job job : client.get("/v1/jobs?limit=1000", JobList.class).jobs()) {
                    if (!job.finished()) {
                        client.send("POST", "/v1/jobs/" + job.id() + "/cancel", null, Job.class);
                    }
                }
            }
            BenchReport.row("soak: 64 clients, reads/SSE/jobs/toggles", String.format("%,d / %d", requests.get(),
                    errors.size()), "requests / errors", String.format("%d s; %,d refusals (409/400, expected); "
                    + "RSS %d MiB at start, %d peak, %d at end; %s", seconds, refusals.get(), rssStart, rssPeak.get(),
                    rssEnd, errors.isEmpty() ? "no errors" : errors.subList(0, Math.min(3, errors.size()))));
            org.junit.jupiter.api.Assertions.assertEquals(List.of(), errors.subList(0, Math.min(10, errors.size())),
                    "the soak must see no 5xx and no broken connection");
        }
    }
}
