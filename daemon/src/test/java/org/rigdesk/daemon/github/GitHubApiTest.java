package org.rigdesk.daemon.github;

import org.rigdesk.testkit.FakeGitHub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The runner API client against a local stand-in that answers as GitHub's REST API does. */
class GitHubApiTest {

    private FakeGitHub github;

    @AfterEach
    void close() {
        if (github != null) {
            github.close();
        }
    }

    private GitHubApi api(String url, String token) throws Exception {
        github = new FakeGitHub("/repos/octo/gpu-ci");
        return new GitHubApi(new OkHttpClient(), RunnerScope.parse(url, github.apiUrl()), token, "rigdesk-test");
    }

    @Test
    void scopesParseFromGithubAndEnterpriseUrls() {
        RunnerScope repo = RunnerScope.parse("https://github.com/octo/gpu-ci", null);
        assertEquals("https://api.github.com", repo.apiBase());
        assertEquals("/repos/octo/gpu-ci/actions/runners", repo.runnersPath());
        RunnerScope org = RunnerScope.parse("https://github.com/octo-org/", null);
        assertTrue(org.isOrganisation());
        assertEquals("/orgs/octo-org/actions/runners", org.runnersPath());
        assertEquals("https://ghe.example.com/api/v3", RunnerScope.parse("https://ghe.example.com/team/app", null).apiBase());
        for (String bad : List.of("http://github.com/octo", "https://github.com/", "https://github.com/a/b/c",
                "https://github.com/-bad", "https://github.com/octo/..", "github.com/octo", "https://github.com/oc to")) {
            assertThrows(IllegalArgumentException.class, () -> RunnerScope.parse(bad, null), bad);
        }
    }

    @Test
    void aGoodTokenListsCreatesAndDeletesRunners() throws Exception {
        GitHubApi api = api("https://github.com/octo/gpu-ci", FakeGitHub.GOOD_TOKEN);
        api.checkAccess();
        GitHubApi.JitConfig jit = api.generateJitConfig("rigdesk-gpu-1", 1,
                List.of("self-hosted", "linux", "x64", "rigdesk", "gpu"), "_work");
        String decoded = new String(java.util.Base64.getDecoder().decode(jit.encodedJitConfig()),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(decoded.contains("\".runner\"") && decoded.contains("\".credentials\""), decoded);
        assertFalse(jit.toString().contains(jit.encodedJitConfig()), "the config never reaches a log via toString");
        List<GitHubRunner> runners = api.listRunners();
        assertEquals(1, runners.size());
        assertEquals(List.of("self-hosted", "linux", "x64", "rigdesk", "gpu"), runners.get(0).labels());
        assertEquals(4999, api.rateLimitRemaining());
        assertTrue(api.lastSuccess() != null);
        api.deleteRunner(jit.runnerId());
        assertTrue(api.listRunners().isEmpty());
        assertTrue(github.authorizations.stream().allMatch(a -> a.equals("Bearer " + FakeGitHub.GOOD_TOKEN)));
    }

    @Test
    void listingFollowsPages() throws Exception {
        GitHubApi api = api("https://github.com/octo/gpu-ci", FakeGitHub.GOOD_TOKEN);
        for (int i = 0; i < 230; i++) {
            github.add("r" + i, "online", false);
        }
        assertEquals(230, api.listRunners().size());
    }

    @Test
    void badTokenMissingPermissionNameInUseAndBusyRunnerAreTold() throws Exception {
        GitHubApi bad = api("https://github.com/octo/gpu-ci", "ghp_wrong");
        GitHubException unauthorized = assertThrows(GitHubException.class, bad::checkAccess);
        assertTrue(unauthorized.badToken());
        assertTrue(unauthorized.getMessage().contains("Bad credentials"));
        GitHubApi readOnly = new GitHubApi(new OkHttpClient(), RunnerScope.parse("https://github.com/octo/gpu-ci",
                github.apiUrl()), FakeGitHub.READ_ONLY_TOKEN, "rigdesk-test");
        assertEquals(403, assertThrows(GitHubException.class, readOnly::checkAccess).status());

        GitHubApi api = new GitHubApi(new OkHttpClient(), RunnerScope.parse("https://github.com/octo/gpu-ci",
                github.apiUrl()), FakeGitHub.GOOD_TOKEN, "rigdesk-test");
        github.add("taken", "online", false);
        GitHubException conflict = assertThrows(GitHubException.class,
                () -> api.generateJitConfig("taken", 1, List.of("self-hosted"), "_work"));
        assertEquals(409, conflict.status());
        FakeGitHub.Runner busy = github.add("busy", "online", true);
        assertEquals(422, assertThrows(GitHubException.class, () -> api.deleteRunner(busy.id())).status());
    }

    @Test
    void rateLimitsAndServerErrorsCarryWhatToDo() throws Exception {
        GitHubApi api = api("https://github.com/octo/gpu-ci", FakeGitHub.GOOD_TOKEN);
        github.rateLimitedCalls = 1;
        GitHubException limited = assertThrows(GitHubException.class, api::listRunners);
        assertTrue(limited.rateLimited());
        assertEquals(Duration.ofSeconds(2), limited.retryAfter());
        github.failWith5xx = 1;
        GitHubException down = assertThrows(GitHubException.class, api::listRunners);
        assertEquals(502, down.status());
        assertEquals(0, api.listRunners().size(), "and then it works again");
    }

    @Test
    void theQueueIsReadWithConditionalRequestsAnUnchangedOneCostingNothing() throws Exception {
        GitHubApi api = api("https://github.com/octo/gpu-ci", FakeGitHub.GOOD_TOKEN);
        long whisper = github.queue("octo/gpu-ci", 0, "whisper", List.of("self-hosted", "gpu"));
        long running = github.queue("octo/gpu-ci", 4100, "build", List.of("ubuntu-latest"));
        long later = github.queue("octo/gpu-ci", 4100, "gpu-test", List.of("self-hosted", "gpu", "gpu-12gb"));
        github.setJobStatus(running, "in_progress"); // run 4100 is in progress with a job still queued
        List<Long> runs = api.activeRuns("octo/gpu-ci");
        assertEquals(2, runs.size(), runs.toString());
        List<GitHubApi.QueuedJob> queued = new java.util.ArrayList<>();
        for (long run : runs) {
            queued.addAll(api.queuedJobs("octo/gpu-ci", run));
        }
        assertEquals(java.util.Set.of(whisper, later), queued.stream().map(GitHubApi.QueuedJob::id)
                .collect(java.util.stream.Collectors.toSet()));
        assertEquals(List.of("self-hosted", "gpu", "gpu-12gb"), queued.stream().filter(j -> j.id() == later)
                .findFirst().orElseThrow().labels());
        assertEquals(0, github.notModified.get());

        int remaining = api.rateLimitRemaining();
        assertEquals(runs, api.activeRuns("octo/gpu-ci"), "the same answer from the cache");
        assertEquals(2, github.notModified.get(), "both run lists were unchanged: 304");
        assertEquals(2, api.notModified());
        assertEquals(remaining, api.rateLimitRemaining());
        github.setJobStatus(whisper, "completed");
        assertEquals(1, api.activeRuns("octo/gpu-ci").size(), "a change is read in full");
    }

    @Test
    void anOrganisationsRecentRepositoriesAreTheOnesPushedToLately() throws Exception {
        github = new FakeGitHub("/orgs/octo");
        GitHubApi api = new GitHubApi(new OkHttpClient(), RunnerScope.parse("https://github.com/octo", github.apiUrl()),
                FakeGitHub.GOOD_TOKEN, "rigdesk-test");
        java.time.Instant now = java.time.Instant.now();
        github.pushedAt.put("octo/gpu-ci", now.minus(Duration.ofHours(2)));
        github.pushedAt.put("octo/website", now.minus(Duration.ofDays(3)));
        github.pushedAt.put("octo/archive", now.minus(Duration.ofDays(90)));
        assertEquals(List.of("octo/gpu-ci", "octo/website"), api.recentRepositories(Duration.ofDays(7)));
    }
}
