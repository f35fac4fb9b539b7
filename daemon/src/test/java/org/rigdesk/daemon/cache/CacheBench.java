package org.rigdesk.daemon.cache;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.testkit.BenchReport;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.daemon.testing.JobWaits;
import org.rigdesk.daemon.testing.NetworkWorld;

/**
 * A job that fetches 200 MB of "model weights" into HF_HOME from a server in a network namespace
 * the bench makes, unless the cache has them: the first run (empty cache, trusted, committed)
 * against the second (the same job). Timed inside the guest (its uptime around the fetch), and
 * whole jobs from start to end; the merge's time is the daemon's own line in the first job's log.
 */
@Tag("bench")
class CacheBench {

    private static final long BYTES = 200_000_000L;
    private static final String SCRIPT = "a=$(cut -d' ' -f1 /proc/uptime); if [ -f $HF_HOME/model.bin ]; then "
            + "echo cached; else wget -q -O $HF_HOME/model.bin http://" + NetworkWorld.INTERNET + "/model.bin; fi; "
            + "b=$(cut -d' ' -f1 /proc/uptime); echo \"took $a $b\"; ls -l $HF_HOME/model.bin";
    private static final Pattern TOOK = Pattern.compile("took ([0-9.]+) ([0-9.]+)");
    private static final Pattern MERGED = Pattern.compile("merged in (\\d+) ms");

    @TempDir
    Path dir;

    @Test
    void secondRunOfAJobThatFetchesModelsIntoTheCache() throws Exception {
        DaemonProcess.requireTestImage();
        try (NetworkWorld world = new NetworkWorld(dir)) {
            world.publish("model.bin", BYTES);
            try (DaemonProcess daemon = new DaemonProcess(dir).withArgs("--dns-upstream", NetworkWorld.INTERNET)
                    .inNetworkNamespace(world.rig()).start();
                 DaemonClient client = daemon.client()) {
                Job first = run(client);
                Job second = run(client);
                String firstLog = JobWaits.log(client, first.id());
                double fetch = seconds(firstLog);
                double cached = seconds(JobWaits.log(client, second.id()));
                Matcher merged = MERGED.matcher(firstLog);
                String merge = merged.find() ? String.format("%.1f s", Integer.parseInt(merged.group(1)) / 1000.0) : "?";
                BenchReport.row("cache: 200 MB into HF_HOME, 1st run vs 2nd (in guest)",
                        String.format("%.2f / %.2f", fetch, cached), "s", String.format("2nd = %.1f %% of 1st; merge of "
                                + "the 1st run's layer %s; TCG", 100 * cached / fetch, merge));
                BenchReport.row("cache: same, whole jobs (boot, fetch, merge)", String.format("%.1f / %.1f",
                        wall(first), wall(second)), "s", String.format("2nd = %.1f %% of 1st",
                        100 * wall(second) / wall(first)));
            }
        }
    }

    private static Job run(DaemonClient client) throws Exception {
        Job job = client.send("POST", "/v1/jobs", new JobRequest("fetch weights", SCRIPT, null, 2, 512, 900, null,
                null, true, "hf", true), Job.class);
        Job done = JobWaits.finished(client, job.id(), 900);
        if (!done.is(JobState.SUCCEEDED)) {
            throw new AssertionError("the job failed:\n" + JobWaits.log(client, job.id()));
        }
        return done;
    }

    private static double wall(Job job) {
        return Duration.between(job.startedAt(), job.finishedAt()).toMillis() / 1000.0;
    }

    private static double seconds(String log) {
        Matcher took = TOOK.matcher(log);
        if (!took.find()) {
            throw new AssertionError("the guest did not report its fetch:\n" + log);
        }
        return Double.parseDouble(took.group(2)) - Double.parseDouble(took.group(1));
    }
}
