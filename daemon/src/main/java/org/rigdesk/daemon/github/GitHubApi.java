package org.rigdesk.daemon.github;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.rigdesk.api.wire.Json;

/**
 * The parts of GitHub's REST API a runner host needs: list, create just-in-time, and delete
 * self-hosted runners of one scope, and read the queue of workflow jobs (with conditional
 * requests). Every call sends the documented headers; every answer updates the rate-limit figures. The token is sent in the Authorization header only, never logged.
 */
public class GitHubApi {

    private static final MediaType JSON = MediaType.get("application/json");

    private final OkHttpClient http;
    private final RunnerScope scope;
    private final GitHubAuth auth;
    private final String userAgent;
    private volatile Integer rateLimitRemaining;
    private volatile Instant lastSuccess;
    /** The last answer and ETag per conditional URL: a 304 for it costs no rate limit. */
    private final Map<String, Cached> cache = java.util.Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > 512;
        }
    });
    private final java.util.concurrent.atomic.AtomicLong notModified = new java.util.concurrent.atomic.AtomicLong();

    private record Cached(String etag, JsonNode body) {
    }

    public GitHubApi(OkHttpClient http, RunnerScope scope, String token, String userAgent) {
        this(http, scope, GitHubAuth.token(token), userAgent);
    }

    public GitHubApi(OkHttpClient http, RunnerScope scope, GitHubAuth auth, String userAgent) {
        this.http = http;
        this.scope = scope;
        this.auth = auth;
        this.userAgent = userAgent;
    }

    public GitHubAuth auth() {
        return auth;
    }

    /** A runner group of an organisation, as {@code GET /orgs/{org}/actions/runner-groups} lists it. */
    public record RunnerGroup(long id, String name) {
    }

    /** The organisation's runner groups (at most 1,000); a repository's runners are in its default group. */
    public List<RunnerGroup> runnerGroups() throws IOException {
        if (!scope.isOrganisation()) {
            return List.of(new RunnerGroup(1, "Default"));
        }
        List<RunnerGroup> groups = new ArrayList<>();
        for (int page = 1; page <= 10; page++) {
            JsonNode answer = call(request("/orgs/" + scope.owner() + "/actions/runner-groups?per_page=100&page=" + page)
                    .get().build());
            JsonNode list = answer.path("runner_groups");
            list.forEach(g -> groups.add(new RunnerGroup(g.path("id").asLong(), g.path("name").asText())));
            if (list.size() < 100) {
                break;
            }
        }
        return groups;
    }

    /** A just-in-time runner: GitHub's id for it and the config the runner is started with. */
    public record JitConfig(long runnerId, String name, String encodedJitConfig) {
        @Override
        public String toString() {
            return "JitConfig[runnerId=" + runnerId + ", name=" + name + ", encodedJitConfig=<secret>]";
        }
    }

    /** Proves the token can manage this scope's runners (listing them needs the same permission). */
    public void checkAccess() throws IOException {
        call(request(scope.runnersPath() + "?per_page=1").get().build());
    }

    public List<GitHubRunner> listRunners() throws IOException {
        List<GitHubRunner> runners = new ArrayList<>();
        for (int page = 1; page <= 50; page++) {
            JsonNode answer = call(request(scope.runnersPath() + "?per_page=100&page=" + page).get().build());
            JsonNode list = answer.path("runners");
            for (JsonNode runner : list) {
                List<String> labels = new ArrayList<>();
                runner.path("labels").forEach(label -> labels.add(label.path("name").asText()));
                runners.add(new GitHubRunner(runner.path("id").asLong(), runner.path("name").asText(),
                        runner.path("os").asText(), runner.path("status").asText(), runner.path("busy").asBoolean(),
                        labels));
            }
            if (list.size() < 100 || runners.size() >= answer.path("total_count").asInt()) {
                break;
            }
        }
        return runners;
    }

    /** {@code POST …/actions/runners/generate-jitconfig}. A name already in use is a 409. */
    public JitConfig generateJitConfig(String name, long runnerGroupId, List<String> labels, String workFolder)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("runner_group_id", runnerGroupId);
        body.put("labels", labels);
        body.put("work_folder", workFolder);
        JsonNode answer = call(request(scope.runnersPath() + "/generate-jitconfig")
                .post(RequestBody.create(Json.mapper().writeValueAsBytes(body), JSON)).build());
        String config = answer.path("encoded_jit_config").asText(null);
        if (config == null || config.isEmpty()) {
            throw new IOException("GitHub's generate-jitconfig answer has no encoded_jit_config");
        }
        return new JitConfig(answer.path("runner").path("id").asLong(), answer.path("runner").path("name").asText(name),
                config);
    }

    /** A workflow job as {@code GET /repos/{repo}/actions/runs/{id}/attempts/{n}/jobs} lists it. */
    public record WorkflowJob(long id, String name, String status, String conclusion, String runnerName) {
    }

    /** The jobs of one run attempt: how the reconciler learns that a job it hosts is over on GitHub. */
    public List<WorkflowJob> jobsOfRun(String repository, long runId, int attempt) throws IOException {
        checkRepository(repository);
        JsonNode answer = call(request("/repos/" + repository + "/actions/runs/" + runId + "/attempts/" + attempt
                + "/jobs?per_page=100").get().build());
        List<WorkflowJob> jobs = new ArrayList<>();
        for (JsonNode job : answer.path("jobs")) {
            jobs.add(new WorkflowJob(job.path("id").asLong(), job.path("name").asText(), job.path("status").asText(),
                    job.path("conclusion").isNull() ? null : job.path("conclusion").asText(null),
                    job.path("runner_name").isNull() ? null : job.path("runner_name").asText(null)));
        }
        return jobs;
    }

    /** A job waiting on GitHub for a runner, with the labels its {@code runs-on} asks for. */
    public record QueuedJob(String repository, long runId, long id, String name, List<String> labels) {
    }

    /**
     * The ids of a repository's runs that may hold a queued job: those queued, and those in
     * progress (a later job of a running workflow waits in the queue too). Conditional requests.
     */
    public List<Long> activeRuns(String repository) throws IOException {
        checkRepository(repository);
        List<Long> runs = new ArrayList<>();
        for (String status : List.of("queued", "in_progress")) {
            JsonNode answer = conditional("/repos/" + repository + "/actions/runs?status=" + status + "&per_page=50");
            for (JsonNode run : answer.path("workflow_runs")) {
                runs.add(run.path("id").asLong());
            }
        }
        return runs;
    }

    /** The queued jobs of a run's latest attempt ({@code GET /repos/{repo}/actions/runs/{id}/jobs}), conditionally. */
    public List<QueuedJob> queuedJobs(String repository, long runId) throws IOException {
        checkRepository(repository);
        JsonNode answer = conditional("/repos/" + repository + "/actions/runs/" + runId + "/jobs?per_page=100");
        List<QueuedJob> queued = new ArrayList<>();
        for (JsonNode job : answer.path("jobs")) {
            if ("queued".equals(job.path("status").asText())) {
                List<String> labels = new ArrayList<>();
                job.path("labels").forEach(label -> labels.add(label.asText()));
                queued.add(new QueuedJob(repository, runId, job.path("id").asLong(), job.path("name").asText(),
                        List.copyOf(labels)));
            }
        }
        return queued;
    }

    /** An organisation's repositories pushed to in the last {@code within}, newest first (at most 30). */
    public List<String> recentRepositories(Duration within) throws IOException {
        JsonNode answer = conditional("/orgs/" + scope.owner() + "/repos?sort=pushed&direction=desc&per_page=30");
        Instant since = Instant.now().minus(within);
        List<String> names = new ArrayList<>();
        for (JsonNode repo : answer) {
            String pushed = repo.path("pushed_at").asText("");
            String name = repo.path("full_name").asText("");
            try {
                if (RunnerScope.isRepository(name) && !pushed.isEmpty() && Instant.parse(pushed).isAfter(since)) {
                    names.add(name);
                }
            } catch (java.time.format.DateTimeParseException e) {
                // a repository without a readable push time is not recent
            }
        }
        return names;
    }

    /** Conditional GETs answered 304 so far (they cost no rate limit). */
    public long notModified() {
        return notModified.get();
    }

    private static void checkRepository(String repository) {
        if (!RunnerScope.isRepository(repository)) {
            throw new IllegalArgumentException("not a repository: " + repository);
        }
    }

    /** GET with If-None-Match: a 304 answers with the body cached beside its ETag. */
    private JsonNode conditional(String pathAndQuery) throws IOException {
        Cached known = cache.get(pathAndQuery);
        Request.Builder request = request(pathAndQuery).get();
        if (known != null) {
            request.header("If-None-Match", known.etag());
        }
        try (Response response = execute(request.build())) {
            rateLimit(response);
            if (response.code() == 304 && known != null) {
                notModified.incrementAndGet();
                lastSuccess = Instant.now();
                return known.body();
            }
            JsonNode body = read(response);
            String etag = response.header("ETag");
            if (etag != null) {
                cache.put(pathAndQuery, new Cached(etag, body));
            }
            return body;
        }
    }

    /** A workflow run as {@code GET /repos/{repo}/actions/runs/{id}} gives it: its event and where its code comes from. */
    /** A workflow run: its event, the repository its code comes from, and the branch it ran on. */
    public record Run(long id, String event, String headRepository, String headBranch) {
    }

    public Run run(String repository, long runId) throws IOException {
        checkRepository(repository);
        JsonNode answer = call(request("/repos/" + repository + "/actions/runs/" + runId).get().build());
        return new Run(answer.path("id").asLong(), answer.path("event").asText(""),
                answer.path("head_repository").path("full_name").asText(""), answer.path("head_branch").asText(""));
    }

    /** {@code GET /repos/{owner}/{repo}}: the repository's default branch. */
    public String defaultBranch(String repository) throws IOException {
        checkRepository(repository);
        String branch = call(request("/repos/" + repository).get().build()).path("default_branch").asText("");
        if (branch.isEmpty()) {
            throw new IOException("GitHub named no default branch for " + repository);
        }
        return branch;
    }

    public void deleteRunner(long id) throws IOException {
        call(request(scope.runnersPath() + "/" + id).delete().build());
    }

    /**
     * Deletes the idle runners whose names start with {@code prefix}; others are never touched. A
     * busy one is left to finish its job (GitHub refuses it with 422 too), one already gone (404)
     * is fine. Returns the names left behind.
     */
    public List<String> deleteIdleRunners(String prefix) throws IOException {
        List<String> kept = new ArrayList<>();
        for (GitHubRunner runner : listRunners()) {
            if (!runner.name().startsWith(prefix)) {
                continue;
            }
            if (runner.busy()) {
                kept.add(runner.name());
                continue;
            }
            try {
                deleteRunner(runner.id());
            } catch (GitHubException e) {
                if (e.status() == 422) {
                    kept.add(runner.name());
                } else if (e.status() != 404) {
                    throw e;
                }
            }
        }
        return kept;
    }

    public Integer rateLimitRemaining() {
        return rateLimitRemaining;
    }

    public Instant lastSuccess() {
        return lastSuccess;
    }

    public RunnerScope scope() {
        return scope;
    }

    private Request.Builder request(String pathAndQuery) throws IOException {
        HttpUrl url = HttpUrl.parse(scope.apiBase() + pathAndQuery);
        if (url == null) {
            throw new IllegalArgumentException("not a URL: " + scope.apiBase() + pathAndQuery);
        }
        return documented(url, userAgent).header("Authorization", "Bearer " + auth.bearer());
    }

    /** A request to GitHub's REST API with the headers GitHub documents (no credentials). */
    public static Request.Builder documented(HttpUrl url, String userAgent) {
        return new Request.Builder().url(url)
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("User-Agent", userAgent);
    }

    private JsonNode call(Request request) throws IOException {
        try (Response response = execute(request)) {
            rateLimit(response);
            return read(response);
        }
    }

    /** One call; a 401 for a token that can be renewed (an App's) is tried once more with a fresh one. */
    private Response execute(Request request) throws IOException {
        Response response = http.newCall(request).execute();
        String sent = request.header("Authorization");
        if (response.code() == 401 && sent != null && auth.refused(sent.substring("Bearer ".length()))) {
            response.close();
            return http.newCall(request.newBuilder().header("Authorization", "Bearer " + auth.bearer()).build()).execute();
        }
        return response;
    }

    private void rateLimit(Response response) {
        String remaining = response.header("X-RateLimit-Remaining");
        if (remaining != null && remaining.matches("\\d{1,9}")) {
            rateLimitRemaining = Integer.valueOf(remaining);
        }
    }

    private JsonNode read(Response response) throws IOException {
        String text = response.body().string();
        if (!response.isSuccessful()) {
            throw new GitHubException(response.code(), message(text), retryAfter(response));
        }
        lastSuccess = Instant.now();
        return text.isBlank() ? Json.mapper().createObjectNode() : Json.mapper().readTree(text);
    }

    static String message(String text) {
        try {
            JsonNode error = Json.mapper().readTree(text);
            String message = error.path("message").asText("");
            return message.isEmpty() ? text.strip() : message;
        } catch (IOException e) {
            return text.length() > 200 ? text.substring(0, 200) + "…" : text.strip();
        }
    }

    /** GitHub's documented back-off signals: Retry-After, or a spent rate limit's reset time. */
    static Duration retryAfter(Response response) {
        String retryAfter = response.header("Retry-After");
        if (retryAfter != null && retryAfter.matches("\\d{1,6}")) {
            return Duration.ofSeconds(Long.parseLong(retryAfter));
        }
        String reset = response.header("X-RateLimit-Reset");
        if ("0".equals(response.header("X-RateLimit-Remaining")) && reset != null && reset.matches("\\d{1,12}")) {
            return Duration.ofSeconds(Math.max(1, Long.parseLong(reset) - Instant.now().getEpochSecond()));
        }
        return null;
    }
}
