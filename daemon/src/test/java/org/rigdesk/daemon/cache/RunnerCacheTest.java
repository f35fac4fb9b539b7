package org.rigdesk.daemon.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobList;
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.api.wire.RunnerTestJob;
import org.rigdesk.testkit.FakeGitHub;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.daemon.testing.JobWaits;

/**
 * The scope's cache through the runner path (real VMs, the GitHub stand-in): a push run of the
 * repository keeps its changes; a pull request from a fork reads the cache and its changes are
 * thrown away; a job that claims a trusted run it did not run is refused by what GitHub says.
 */
class RunnerCacheTest {

    private static final String REPO = "octo/gpu-ci";

    @TempDir
    Path dir;

    @Test
    void pushRunsChangeTheScopesCacheAndPullRequestsFromForksOnlyReadIt() throws Exception {
        DaemonProcess.requireTestImage();
        try (FakeGitHub github = new FakeGitHub("/repos/" + REPO);
             DaemonProcess daemon = new DaemonProcess(dir).withArgs("--runner-poll-ms", "500").start();
             DaemonClient client = daemon.client()) {
            RunnerStatus registered = client.send("PUT", "/v1/runner", new RunnerRegistration("https://github.com/" + REPO,
                    FakeGitHub.GOOD_TOKEN, List.of(), "rigdesk", null, github.apiUrl(), 0, 1, 1, 256), RunnerStatus.class);
            assertEquals("github-octo.gpu-ci", registered.cache());
            assertEquals(List.of("push", "schedule", "workflow_dispatch"), registered.cacheWriteEvents());

            String pushed = runTestJob(client, github, 801, "push", REPO, true,
                    "echo model-v1 > $HF_HOME/m.bin; echo wrote");
            assertTrue(pushed.contains("this job's changes are kept for the next job"), pushed);

            String fork = runTestJob(client, github, 802, "pull_request", "stranger/gpu-ci", true,
                    "cat $HF_HOME/m.bin; echo poisoned > $HF_HOME/m.bin; rm -f $HF_HOME/m.bin.lock");
            assertTrue(fork.contains("model-v1"), "a pull request reads the cache: " + fork);
            assertTrue(fork.contains("a pull_request run may read the cache, not change it"), fork);

            String forged = runTestJob(client, github, 801, "push", REPO, false, "echo forged > $HF_HOME/m.bin");
            assertTrue(forged.contains("does not say runner") && forged.contains("ran run 801"), forged);

            // A collaborator's push to a feature branch reads the default branch's cache and changes nothing.
            github.defaultBranches.put(REPO, "trunk");
            String branch = runTestJob(client, github, 804, "push:feature/x", REPO, true, "echo branchy > $HF_HOME/m.bin");
            assertTrue(branch.contains("a push run on branch feature/x may read the cache, not change it (only the "
                    + "default branch trunk does)"), branch);

            String reader = runTestJob(client, github, 803, "pull_request", "stranger/gpu-ci", true, "cat $HF_HOME/m.bin");
            assertTrue(reader.contains("model-v1"), reader);
            assertFalse(reader.contains("poisoned") || reader.contains("forged") || reader.contains("branchy"), reader);
        }
    }

    /**
     * An organisation's runner VMs take jobs of any of its repositories: each job gets its own
     * repository's cache (attached once GitHub confirms the run), so a minor repository's push
     * cannot change what another repository's builds read. The copy of a cache attached that way
     * is the host's doing, not the job's: a 1.1 GiB cache under a 1 GiB job quota runs.
     */
    @Test
    void anOrganisationsRepositoriesGetACacheEach() throws Exception {
        DaemonProcess.requireTestImage();
        try (FakeGitHub github = new FakeGitHub("/orgs/octo");
             DaemonProcess daemon = new DaemonProcess(dir).withArgs("--runner-poll-ms", "500").start();
             DaemonClient client = daemon.client()) {
            RunnerStatus registered = client.send("PUT", "/v1/runner", new RunnerRegistration("https://github.com/octo",
                    FakeGitHub.GOOD_TOKEN, List.of(), "rigdesk", null, github.apiUrl(), 0, 1, 1, 256), RunnerStatus.class);
            assertEquals("github-octo.REPOSITORY", registered.cache());

            String minor = runTestJob(client, github, "octo/minor", 901, "push", "octo/minor", true,
                    // 1.1 GiB of text: busybox's yes writes a line per write(), too slow under TCG for all of it.
                    "echo minor-was-here > $HF_HOME/m.bin; yes weights | head -c 1048576 > /tmp/w; i=0; "
                            + "while [ $i -lt 1100 ]; do cat /tmp/w; i=$((i+1)); done > $HF_HOME/big.bin; echo wrote");
            assertTrue(minor.contains("rigdesk: the cache of octo/minor is at /cache"), minor);
            assertTrue(minor.contains("wrote") && minor.contains("cache github-octo.minor: this job's changes are kept"),
                    minor);

            String important = runTestJob(client, github, "octo/important", 902, "push", "octo/important", true,
                    "cat $HF_HOME/m.bin 2>&1; echo weights > $HF_HOME/w.bin");
            assertTrue(important.contains("No such file") && !important.contains("minor-was-here"),
                    "another repository's cache is not this one's: " + important);
            assertTrue(important.contains("cache github-octo.important: this job's changes are kept"), important);

            long minorBytes = client.get("/v1/caches", org.rigdesk.api.wire.CacheList.class).caches().stream()
                    .filter(c -> c.name().equals("github-octo.minor")).findFirst().orElseThrow().sizeBytes();
            assertTrue(minorBytes > 1L << 30, "the cache outgrows the quota its copy is made under: " + minorBytes);
            client.send("PUT", "/v1/settings", org.rigdesk.api.wire.Settings.diskLimits(1, null, null),
                    org.rigdesk.api.wire.Settings.class);
            String again = runTestJob(client, github, "octo/minor", 903, "push", "octo/minor", true,
                    "cat $HF_HOME/m.bin; cat $HF_HOME/w.bin 2>&1; sleep 5; echo still-running");
            assertTrue(again.contains("minor-was-here") && !again.contains("weights"), again);
            assertTrue(again.contains("still-running") && !again.contains("the job made more than"), again);
            List<String> caches = client.get("/v1/caches", org.rigdesk.api.wire.CacheList.class).caches().stream()
                    .map(org.rigdesk.api.wire.CacheInfo::name).sorted().toList();
            assertEquals(List.of("github-octo.important", "github-octo.minor"), caches);
        }
    }

    /**
     * A test job through the runner path as run {@code runId} of {@code event} with code from
     * {@code head}; GitHub says our runner ran it only when {@code ranHere}. Returns its log.
     */
    private static String runTestJob(DaemonClient client, FakeGitHub github, long runId, String event, String head,
                                     boolean ranHere, String script) throws Exception {
        return runTestJob(client, github, REPO, runId, event, head, ranHere, script);
    }

    /** As above, for a job of {@code repository} (one of an organisation's). */
    private static String runTestJob(DaemonClient client, FakeGitHub github, String repository, long runId,
                                     String event, String head, boolean ranHere, String script) throws Exception {
        // "push:feature/x": a push run on branch feature/x; a bare event runs on the default branch.
        String[] eventAndBranch = event.split(":", 2);
        github.runEvents.put(runId, new String[] {eventAndBranch[0], head, eventAndBranch.length > 1 ? eventAndBranch[1]
                : github.defaultBranches.getOrDefault(repository, "main")});
        // A test job goes to an idle slot (recycled to take it): wait until the slot listens.
        Await.value(() -> client.get("/v1/runner", RunnerStatus.class), s -> s.slots().stream()
                .allMatch(slot -> RunnerStatus.Slot.IDLE.equals(slot.state())), 180, "the slot listens");
        long before = client.get("/v1/jobs", JobList.class).jobs().stream().mapToLong(Job::id).max().orElse(0);
        client.send("POST", "/v1/runner/test-job", new RunnerTestJob(false, repository, "CI", "test", runId, 1,
                "sleep 5; " + script), Map.class);
        RunnerStatus busy = Await.value(() -> client.get("/v1/runner", RunnerStatus.class), s -> s.slots().stream()
                .anyMatch(slot -> RunnerStatus.Slot.BUSY.equals(slot.state())), 180, "the runner takes the test job");
        String runner = busy.slots().stream().filter(s -> RunnerStatus.Slot.BUSY.equals(s.state())).findFirst()
                .orElseThrow().runnerName();
        if (ranHere) {
            github.workflowJobs.add(new FakeGitHub.WorkflowJob(runId, 1, "test", "in_progress", null, runner));
        }
        String log = Await.value(() -> {
            Job done = client.get("/v1/jobs", JobList.class).jobs().stream()
                    .filter(j -> j.id() > before && Long.valueOf(runId).equals(j.runId()) && j.finished())
                    .findFirst().orElse(null);
            return done == null ? "" : JobWaits.log(client, done.id());
        }, text -> text.contains("rigdesk: cache"), 180, "the job ends and its cache layer is kept or thrown away");
        Await.value(() -> client.get("/v1/runner", RunnerStatus.class), s -> s.slots().stream()
                .allMatch(slot -> RunnerStatus.Slot.IDLE.equals(slot.state())), 180, "the slot refills");
        return log;
    }
}
