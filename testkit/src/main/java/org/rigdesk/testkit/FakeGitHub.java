package org.rigdesk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.rigdesk.api.wire.Json;

/**
 * A local stand-in for GitHub's REST API (self-hosted runners of one repo or org, and the jobs of
 * a run), answering with the documented JSON, status codes, headers and error bodies: 401 "Bad
 * credentials", 403 for a token without the permission, 409 for a runner name in use, 422 for
 * deleting a busy runner, rate limits with Retry-After, and 5xx on demand. Its just-in-time
 * configs have the real layout: base64 of a JSON object whose ".runner", ".credentials" and
 * ".credentials_rsaparams" entries are base64 JSON. It serves actions/runner's releases as
 * github.com does (public: no token needed; the asset with a {@code sha256:} digest and the hash
 * in the notes; the download redirected to another path), the stand-in runner by default. It
 * signs in GitHub Apps: a JWT checked against the App's public key and claims, installations per
 * scope, installation tokens that expire (and are refused after), and runner groups.
 */
public final class FakeGitHub extends Dispatcher implements AutoCloseable {

    public static final String GOOD_TOKEN = "ghp_test-good-token-1234";
    public static final String READ_ONLY_TOKEN = "ghp_test-read-only-9876";

    public record Runner(long id, String name, List<String> labels, String status, boolean busy) {
    }

    /** A workflow job of a run attempt, as the jobs endpoint lists it. */
    public record WorkflowJob(long runId, int attempt, String name, String status, String conclusion,
                              String runnerName) {
    }

    /** A job of a workflow run as GitHub queues it: queued, in_progress or completed. */
    public record ActionsJob(long id, String repository, long runId, String name, List<String> labels, String status) {
    }

    /** What a generate-jitconfig call asked for, and the config it got. */
    public record JitRequest(String name, List<String> labels, long runnerGroupId, String encodedJitConfig) {
    }

    public final MockWebServer server = new MockWebServer();
    public final Map<Long, Runner> runners = new ConcurrentHashMap<>();
    public final List<String> requests = new CopyOnWriteArrayList<>();
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    public final List<JitRequest> jitRequests = new CopyOnWriteArrayList<>();
    public final List<WorkflowJob> workflowJobs = new CopyOnWriteArrayList<>();
    /** The queue: workflow jobs by id, their runs made from them. */
    public final Map<Long, ActionsJob> actionsJobs = new ConcurrentHashMap<>();
    /** Workflow runs by id: the event that started each, the repository its code comes from, its branch (main). */
    public final Map<Long, String[]> runEvents = new ConcurrentHashMap<>();
    /** Repositories' default branches (main when not set), as {@code GET /repos/{owner}/{repo}} says. */
    public final Map<String, String> defaultBranches = new ConcurrentHashMap<>();
    /** Repositories of the organisation and when each was last pushed to (organisation scopes). */
    public final Map<String, java.time.Instant> pushedAt = new ConcurrentHashMap<>();
    /** Conditional requests answered 304 Not Modified. */
    public final java.util.concurrent.atomic.AtomicInteger notModified = new java.util.concurrent.atomic.AtomicInteger();
    /** The queue reads' rate limit: each full answer costs one, a 304 none (as GitHub counts them). */
    private final java.util.concurrent.atomic.AtomicInteger queueRateLimit = new java.util.concurrent.atomic.AtomicInteger(5000);
    private final AtomicLong ids = new AtomicLong(100);
    private final AtomicLong jobIds = new AtomicLong(40_000_000_000L);
    private final String scopePath;
    public volatile int failWith5xx;
    /** While set, every call gets 503: GitHub is down. */
    public volatile boolean outage;
    public volatile int rateLimitedCalls;
    /** The next generate-jitconfig finds its name taken by an idle runner (created on the spot): 409. */
    public volatile boolean conflictOnce;
    /** How long generate-jitconfig holds its answer after the runner exists (a slow GitHub). */
    public volatile long jitDelayMillis;

    /** An actions/runner release as served: {@code servedBytes} differ from what the digest says when tampered. */
    public record Release(String version, byte[] servedBytes, String digest, String notesSha, java.time.Instant publishedAt) {
    }

    public volatile Release release;
    /** Downloads of a release tarball (after the redirect). */
    public final java.util.concurrent.atomic.AtomicInteger downloads = new java.util.concurrent.atomic.AtomicInteger();
    /** How long a download holds its answer (a slow link). */
    public volatile long downloadDelayMillis;

    // A GitHub App: its id, key pair and installation; tokens it handed out and when each expires.
    public volatile java.security.KeyPair appKeys;
    public volatile String appId;
    public volatile long installationId = 4242;
    public volatile java.time.Duration tokenLife = java.time.Duration.ofHours(1);
    public final Map<String, java.time.Instant> installationTokens = new ConcurrentHashMap<>();
    /** JWTs refused, with the reason; calls refused for an expired installation token. */
    public final List<String> jwtRefusals = new CopyOnWriteArrayList<>();
    public final java.util.concurrent.atomic.AtomicInteger expiredTokenCalls = new java.util.concurrent.atomic.AtomicInteger();
    /** The organisation's runner groups, id → name. */
    public final Map<Long, String> runnerGroups = new ConcurrentHashMap<>(Map.of(1L, "Default"));

    public FakeGitHub(String scopePath) throws IOException {
        this(scopePath, null);
    }

    /** Listening on {@code address} (a daemon in another network namespace reaches it there), or loopback. */
    public FakeGitHub(String scopePath, java.net.InetAddress address) throws IOException {
        this.scopePath = scopePath;
        server.setDispatcher(this);
        if (address == null) {
            server.start();
        } else {
            server.start(address, 0);
        }
        publish(StandInRunner.VERSION);
    }

    /** Publishes the stand-in runner as actions/runner release {@code version}, digest and notes honest. */
    public void publish(String version) {
        byte[] tarball = StandInRunner.tarball(version);
        String sha = StandInRunner.sha256(tarball);
        release = new Release(version, tarball, "sha256:" + sha, sha, java.time.Instant.now());
    }

    /** Publishes a release whose digest is the honest tarball's but whose download is another's. */
    public void publishTampered(String version) {
        byte[] honest = StandInRunner.tarball(version);
        byte[] evil = StandInRunner.tarball(version + "-evil");
        String sha = StandInRunner.sha256(honest);
        release = new Release(version, evil, "sha256:" + sha, sha, java.time.Instant.now());
    }

    /** Makes this GitHub know an App with a fresh 2048-bit key; returns its private key as PKCS#1 PEM. */
    public String createApp(String id) {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            appKeys = generator.generateKeyPair();
            appId = id;
            return StandInRunner.pkcs1Pem(appKeys.getPrivate());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String apiUrl() {
        return server.url("/").toString().replaceAll("/$", "");
    }

    public Runner add(String name, String status, boolean busy) {
        Runner runner = new Runner(ids.incrementAndGet(), name, List.of("self-hosted"), status, busy);
        runners.put(runner.id(), runner);
        return runner;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        MockResponse releases = releases(request, path);
        if (releases != null) {
            return releases;
        }
        requests.add(request.getMethod() + " " + path);
        authorizations.add(String.valueOf(request.getHeaders().get("Authorization")));
        if (!"application/vnd.github+json".equals(request.getHeaders().get("Accept"))
                || request.getHeaders().get("X-GitHub-Api-Version") == null) {
            return error(400, "Missing the documented Accept or X-GitHub-Api-Version header");
        }
        if (rateLimitedCalls > 0) {
            rateLimitedCalls--;
            return new MockResponse.Builder().code(403).addHeader("Retry-After", "2")
                    .addHeader("X-RateLimit-Remaining", "0")
                    .addHeader("Content-Type", "application/json")
                    .body("{\"message\":\"You have exceeded a secondary rate limit.\","
                            + "\"documentation_url\":\"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api\"}")
                    .build();
        }
        if (outage) {
            return error(503, "Service Unavailable");
        }
        if (failWith5xx > 0) {
            failWith5xx--;
            return error(502, "Server Error");
        }
        String auth = request.getHeaders().get("Authorization");
        MockResponse app = app(request, path, auth);
        if (app != null) {
            return app;
        }
        if (auth != null && auth.startsWith("Bearer ") && installationTokens.containsKey(auth.substring(7))) {
            if (!java.time.Instant.now().isBefore(installationTokens.get(auth.substring(7)))) {
                expiredTokenCalls.incrementAndGet();
                return error(401, "Bad credentials");
            }
            auth = "Bearer " + GOOD_TOKEN; // an installation token may do what the owner's token may
        }
        if (auth == null || !(auth.equals("Bearer " + GOOD_TOKEN) || auth.equals("Bearer " + READ_ONLY_TOKEN))) {
            return error(401, "Bad credentials");
        }
        Matcher groups = Pattern.compile("^/orgs/([^/]+)/actions/runner-groups$").matcher(path);
        if (groups.matches() && request.getMethod().equals("GET")) {
            if (!scopePath.equals("/orgs/" + groups.group(1))) {
                return error(404, "Not Found");
            }
            try {
                List<Map<String, Object>> shown = new ArrayList<>();
                runnerGroups.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(g -> shown.add(Map.of(
                        "id", g.getKey(), "name", g.getValue(), "visibility", "all", "default", g.getKey() == 1L,
                        "allows_public_repositories", false, "restricted_to_workflows", false)));
                return json(200, Map.of("total_count", shown.size(), "runner_groups", shown));
            } catch (IOException e) {
                return error(500, "Server Error");
            }
        }
        Matcher runJobs = Pattern.compile("^/repos/([^/]+/[^/]+)/actions/runs/(\\d+)/attempts/(\\d+)/jobs$")
                .matcher(path);
        if (runJobs.matches() && request.getMethod().equals("GET")) {
            return runJobs(Long.parseLong(runJobs.group(2)), Integer.parseInt(runJobs.group(3)));
        }
        if (request.getMethod().equals("GET")) {
            Matcher runs = Pattern.compile("^/repos/([^/]+/[^/]+)/actions/runs$").matcher(path);
            if (runs.matches()) {
                return conditional(request, runs(runs.group(1), request.getUrl().queryParameter("status")));
            }
            Matcher latestJobs = Pattern.compile("^/repos/([^/]+/[^/]+)/actions/runs/(\\d+)/jobs$").matcher(path);
            if (latestJobs.matches()) {
                return conditional(request, latestJobs(latestJobs.group(1), Long.parseLong(latestJobs.group(2))));
            }
            Matcher oneRun = Pattern.compile("^/repos/([^/]+/[^/]+)/actions/runs/(\\d+)$").matcher(path);
            if (oneRun.matches()) {
                String[] run = runEvents.get(Long.parseLong(oneRun.group(2)));
                if (run == null) {
                    return error(404, "Not Found");
                }
                try {
                    return json(200, Map.of("id", Long.parseLong(oneRun.group(2)), "event", run[0], "status", "in_progress",
                            "repository", Map.of("full_name", oneRun.group(1)), "head_repository",
                            Map.of("full_name", run[1]), "head_branch", run.length > 2 ? run[2] : "main"));
                } catch (IOException e) {
                    return error(500, "Server Error");
                }
            }
            Matcher repository = Pattern.compile("^/repos/([^/]+/[^/]+)$").matcher(path);
            if (repository.matches()) {
                try {
                    return json(200, Map.of("full_name", repository.group(1), "default_branch",
                            defaultBranches.getOrDefault(repository.group(1), "main")));
                } catch (IOException e) {
                    return error(500, "Server Error");
                }
            }
            Matcher orgRepos = Pattern.compile("^/orgs/([^/]+)/repos$").matcher(path);
            if (orgRepos.matches() && scopePath.equals("/orgs/" + orgRepos.group(1))) {
                return conditional(request, orgRepositories());
            }
        }
        if (!path.startsWith(scopePath + "/actions/runners")) {
            return error(404, "Not Found");
        }
        if (auth.equals("Bearer " + READ_ONLY_TOKEN)) {
            return error(403, "Resource not accessible by personal access token");
        }
        String rest = path.substring((scopePath + "/actions/runners").length());
        try {
            if (rest.isEmpty() && request.getMethod().equals("GET")) {
                return list(request);
            }
            if (rest.equals("/generate-jitconfig") && request.getMethod().equals("POST")) {
                return jit(Json.mapper().readTree(request.getBody().utf8()));
            }
            Matcher id = Pattern.compile("^/(\\d+)$").matcher(rest);
            if (id.matches() && request.getMethod().equals("DELETE")) {
                Runner runner = runners.get(Long.parseLong(id.group(1)));
                if (runner == null) {
                    return error(404, "Not Found");
                }
                if (runner.busy()) {
                    return error(422, "Bad request - Runner \"" + runner.name() + "\" is still running a job\"");
                }
                runners.remove(runner.id());
                return new MockResponse.Builder().code(204).build();
            }
        } catch (IOException e) {
            return error(400, "Problems parsing JSON");
        }
        return error(404, "Not Found");
    }

    /** actions/runner's releases: the latest, its download (302) and the asset's bytes; null for other paths. */
    private MockResponse releases(RecordedRequest request, String path) {
        Release now = release;
        if (now == null || !request.getMethod().equals("GET")) {
            return null;
        }
        String name = "actions-runner-linux-x64-" + now.version() + ".tar.gz";
        try {
            if (path.equals("/repos/actions/runner/releases/latest")) {
                Map<String, Object> asset = new java.util.LinkedHashMap<>();
                asset.put("name", name);
                asset.put("size", now.servedBytes().length);
                asset.put("content_type", "application/gzip");
                asset.put("digest", now.digest());
                asset.put("browser_download_url", apiUrl() + "/actions/runner/releases/download/v" + now.version() + "/" + name);
                Map<String, Object> body = new java.util.LinkedHashMap<>();
                body.put("tag_name", "v" + now.version());
                body.put("name", "v" + now.version());
                body.put("draft", false);
                body.put("prerelease", false);
                body.put("published_at", now.publishedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
                body.put("body", "## Changes\n<!-- BEGIN SHA linux-x64 -->" + now.notesSha() + "<!-- END SHA linux-x64 -->");
                body.put("assets", List.of(asset));
                return json(200, body);
            }
            if (path.equals("/actions/runner/releases/download/v" + now.version() + "/" + name)) {
                return new MockResponse.Builder().code(302).addHeader("Location", apiUrl() + "/release-assets/" + name).build();
            }
            if (path.equals("/release-assets/" + name)) {
                downloads.incrementAndGet();
                if (downloadDelayMillis > 0) {
                    Thread.sleep(downloadDelayMillis);
                }
                return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/octet-stream")
                        .body(new okio.Buffer().write(now.servedBytes())).build();
            }
        } catch (IOException e) {
            return error(500, "Server Error");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(500, "Server Error");
        }
        return null;
    }

    /** The App's own calls (signed with its JWT); null for others. */
    private MockResponse app(RecordedRequest request, String path, String auth) {
        Matcher tokens = Pattern.compile("^/app/installations/(\\d+)/access_tokens$").matcher(path);
        boolean installation = path.matches("^/(repos/[^/]+/[^/]+|orgs/[^/]+)/installation$");
        if (!(tokens.matches() && request.getMethod().equals("POST")) && !(installation && request.getMethod().equals("GET"))) {
            return null;
        }
        String refusal = checkJwt(auth);
        if (refusal != null) {
            jwtRefusals.add(refusal);
            return error(401, "A JSON web token could not be decoded");
        }
        try {
            if (installation) {
                if (!path.equals(scopePath + "/installation")) {
                    return error(404, "Not Found");
                }
                return json(200, Map.of("id", installationId, "app_id", Long.parseLong(appId.replaceAll("\\D", "0")),
                        "target_type", scopePath.startsWith("/orgs/") ? "Organization" : "User"));
            }
            if (Long.parseLong(tokens.group(1)) != installationId) {
                return error(404, "Not Found");
            }
            // Newer installation tokens are longer than 255 characters: nothing may assume their length.
            String token = "ghs_" + java.util.UUID.randomUUID().toString().replace("-", "").repeat(9);
            java.time.Instant expires = java.time.Instant.now().plus(tokenLife);
            installationTokens.put(token, expires);
            return json(201, Map.of("token", token, "expires_at", expires.toString(),
                    "permissions", Map.of("administration", "write", "actions", "read", "metadata", "read"),
                    "repository_selection", "selected"));
        } catch (IOException e) {
            return error(500, "Server Error");
        }
    }

    /** Null when {@code auth} is a JWT the App signed with the documented claims; else what is wrong. */
    private String checkJwt(String auth) {
        if (appKeys == null || auth == null || !auth.startsWith("Bearer ")) {
            return "no App or no bearer";
        }
        String[] parts = auth.substring(7).split("\\.");
        if (parts.length != 3) {
            return "not a JWT";
        }
        try {
            java.util.Base64.Decoder url = java.util.Base64.getUrlDecoder();
            JsonNode header = Json.mapper().readTree(url.decode(parts[0]));
            if (!"RS256".equals(header.path("alg").asText())) {
                return "alg " + header.path("alg").asText();
            }
            java.security.Signature rs256 = java.security.Signature.getInstance("SHA256withRSA");
            rs256.initVerify(appKeys.getPublic());
            rs256.update((parts[0] + "." + parts[1]).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            if (!rs256.verify(url.decode(parts[2]))) {
                return "bad signature";
            }
            JsonNode claims = Json.mapper().readTree(url.decode(parts[1]));
            long now = java.time.Instant.now().getEpochSecond();
            long iat = claims.path("iat").asLong(Long.MAX_VALUE);
            long exp = claims.path("exp").asLong(0);
            if (!appId.equals(claims.path("iss").asText())) {
                return "iss " + claims.path("iss").asText();
            }
            if (iat > now + 5) {
                return "iat in the future";
            }
            if (exp <= now) {
                return "expired";
            }
            if (exp > now + 600 || exp - iat > 660) {
                return "exp more than 10 minutes ahead";
            }
            return null;
        } catch (IOException | java.security.GeneralSecurityException | IllegalArgumentException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    private MockResponse list(RecordedRequest request) throws IOException {
        int perPage = Integer.parseInt(request.getUrl().queryParameter("per_page") == null ? "30"
                : request.getUrl().queryParameter("per_page"));
        int page = Integer.parseInt(request.getUrl().queryParameter("page") == null ? "1"
                : request.getUrl().queryParameter("page"));
        List<Runner> all = new ArrayList<>(runners.values());
        all.sort((a, b) -> Long.compare(a.id(), b.id()));
        List<Map<String, Object>> shown = new ArrayList<>();
        for (Runner r : all.subList(Math.min(all.size(), (page - 1) * perPage), Math.min(all.size(), page * perPage))) {
            shown.add(Map.of("id", r.id(), "name", r.name(), "os", "Linux", "status", r.status(), "busy", r.busy(),
                    "labels", r.labels().stream().map(l -> Map.of("id", 1, "name", l, "type", "custom")).toList()));
        }
        return json(200, Map.of("total_count", all.size(), "runners", shown));
    }

    private MockResponse jit(JsonNode body) throws IOException {
        for (String field : List.of("name", "runner_group_id", "labels")) {
            if (!body.has(field)) {
                return error(422, "Invalid request. \"" + field + "\" wasn't supplied.");
            }
        }
        if (!body.get("labels").isArray() || body.get("labels").isEmpty() || !body.get("runner_group_id").isNumber()) {
            return error(422, "Invalid request. Invalid property types.");
        }
        String name = body.get("name").asText();
        if (conflictOnce) {
            conflictOnce = false;
            add(name, "offline", false);
        }
        if (runners.values().stream().anyMatch(r -> r.name().equals(name))) {
            return error(409, "Already exists - A runner with the name " + name + " already exists.");
        }
        List<String> labels = new ArrayList<>();
        body.get("labels").forEach(l -> labels.add(l.asText()));
        Runner runner = new Runner(ids.incrementAndGet(), name, labels, "offline", false);
        runners.put(runner.id(), runner);
        String encoded = jitConfig(runner);
        jitRequests.add(new JitRequest(name, List.copyOf(labels), body.get("runner_group_id").asLong(), encoded));
        long since = System.nanoTime();
        while (System.nanoTime() - since < jitDelayMillis * 1_000_000) { // setting it to 0 ends the wait
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return json(201, Map.of("runner", Map.of("id", runner.id(), "name", name, "os", "unknown",
                "status", "offline", "busy", false, "labels", labels.stream()
                        .map(l -> Map.of("id", 1, "name", l, "type", "custom")).toList()),
                "encoded_jit_config", encoded));
    }

    /** The layout actions/runner reads with --jitconfig; the secrets in it are made up per runner. */
    private String jitConfig(Runner runner) throws IOException {
        Map<String, Object> dotRunner = new java.util.LinkedHashMap<>();
        dotRunner.put("agentId", runner.id());
        dotRunner.put("agentName", runner.name());
        dotRunner.put("poolId", 1);
        dotRunner.put("poolName", "Default");
        dotRunner.put("serverUrl", "https://pipelinesghubeus2.actions.githubusercontent.com/fake/");
        dotRunner.put("gitHubUrl", "https://github.com" + scopePath.replaceFirst("^/(repos|orgs)", ""));
        dotRunner.put("workFolder", "_work");
        dotRunner.put("useV2Flow", true);
        dotRunner.put("serverUrlV2", "https://broker.actions.githubusercontent.com/");
        Map<String, Object> credentials = Map.of("scheme", "OAuth", "data", Map.of("clientId",
                java.util.UUID.randomUUID().toString(), "authorizationUrl",
                "https://vstoken.actions.githubusercontent.com/_apis/oauth2/token/fake", "requireFipsCryptography", "False"));
        Map<String, Object> rsa = Map.of("d", "secret-d-" + runner.id(), "dp", "dp", "dq", "dq", "exponent", "AQAB",
                "inverseQ", "iq", "modulus", "m", "p", "p", "q", "q");
        Map<String, String> outer = new java.util.LinkedHashMap<>();
        outer.put(".runner", base64(Json.mapper().writeValueAsBytes(dotRunner)));
        outer.put(".credentials", base64(Json.mapper().writeValueAsBytes(credentials)));
        outer.put(".credentials_rsaparams", base64(Json.mapper().writeValueAsBytes(rsa)));
        return base64(Json.mapper().writeValueAsBytes(outer));
    }

    private static String base64(byte[] bytes) {
        return java.util.Base64.getEncoder().encodeToString(bytes);
    }

    private MockResponse runJobs(long runId, int attempt) {
        try {
            List<Map<String, Object>> jobs = new ArrayList<>();
            for (WorkflowJob job : workflowJobs) {
                if (job.runId() == runId && job.attempt() == attempt) {
                    Map<String, Object> shown = new java.util.LinkedHashMap<>();
                    shown.put("id", 9000 + jobs.size());
                    shown.put("run_id", runId);
                    shown.put("run_attempt", attempt);
                    shown.put("name", job.name());
                    shown.put("status", job.status());
                    shown.put("conclusion", job.conclusion());
                    shown.put("runner_name", job.runnerName());
                    jobs.add(shown);
                }
            }
            return json(200, Map.of("total_count", jobs.size(), "jobs", jobs));
        } catch (IOException e) {
            return error(500, "Server Error");
        }
    }

    /** Queues a job of a new run (or of {@code runId} when it is not 0); returns the job's id. */
    public long queue(String repository, long runId, String name, List<String> labels) {
        long id = jobIds.incrementAndGet();
        long run = runId != 0 ? runId : 7_000_000_000L + id % 1_000_000;
        actionsJobs.put(id, new ActionsJob(id, repository, run, name, List.copyOf(labels), "queued"));
        return id;
    }

    public void setJobStatus(long id, String status) {
        actionsJobs.computeIfPresent(id, (key, job) -> new ActionsJob(job.id(), job.repository(), job.runId(),
                job.name(), job.labels(), status));
    }

    /** {@code GET /repos/{repo}/actions/runs?status=}: each run's status follows from its jobs'. */
    private Object runs(String repository, String status) {
        Map<Long, List<ActionsJob>> byRun = new java.util.TreeMap<>();
        actionsJobs.values().stream().filter(j -> j.repository().equals(repository))
                .forEach(j -> byRun.computeIfAbsent(j.runId(), k -> new ArrayList<>()).add(j));
        List<Map<String, Object>> shown = new ArrayList<>();
        byRun.forEach((run, jobs) -> {
            String runStatus = jobs.stream().allMatch(j -> j.status().equals("completed")) ? "completed"
                    : jobs.stream().allMatch(j -> j.status().equals("queued")) ? "queued" : "in_progress";
            if (status == null || status.equals(runStatus)) {
                Map<String, Object> r = new java.util.LinkedHashMap<>();
                r.put("id", run);
                r.put("name", "CI");
                r.put("event", "push");
                r.put("status", runStatus);
                r.put("conclusion", null);
                r.put("run_attempt", 1);
                r.put("repository", Map.of("full_name", repository));
                r.put("head_repository", Map.of("full_name", repository));
                shown.add(r);
            }
        });
        return Map.of("total_count", shown.size(), "workflow_runs", shown);
    }

    /** {@code GET /repos/{repo}/actions/runs/{id}/jobs}: the latest attempt's jobs with their labels. */
    private Object latestJobs(String repository, long runId) {
        List<Map<String, Object>> shown = new ArrayList<>();
        actionsJobs.values().stream().filter(j -> j.repository().equals(repository) && j.runId() == runId)
                .sorted((a, b) -> Long.compare(a.id(), b.id())).forEach(j -> {
                    Map<String, Object> job = new java.util.LinkedHashMap<>();
                    job.put("id", j.id());
                    job.put("run_id", j.runId());
                    job.put("run_attempt", 1);
                    job.put("status", j.status());
                    job.put("conclusion", j.status().equals("completed") ? "success" : null);
                    job.put("name", j.name());
                    job.put("labels", j.labels());
                    job.put("runner_id", null);
                    job.put("runner_name", null);
                    shown.add(job);
                });
        return Map.of("total_count", shown.size(), "jobs", shown);
    }

    private Object orgRepositories() {
        List<Map<String, Object>> shown = new ArrayList<>();
        pushedAt.entrySet().stream().sorted((a, b) -> b.getValue().compareTo(a.getValue())).forEach(e ->
                shown.add(Map.of("full_name", e.getKey(), "pushed_at", e.getValue().toString())));
        return shown;
    }

    /** The body with an ETag; 304 and no body when the client's If-None-Match is that ETag, as GitHub does. */
    private MockResponse conditional(RecordedRequest request, Object body) {
        try {
            String text = Json.mapper().writeValueAsString(body);
            String etag = "W/\"" + Integer.toHexString(text.hashCode()) + "\"";
            if (etag.equals(request.getHeaders().get("If-None-Match"))) {
                notModified.incrementAndGet();
                return new MockResponse.Builder().code(304).addHeader("ETag", etag)
                        .addHeader("X-RateLimit-Remaining", Integer.toString(queueRateLimit.get())).build();
            }
            return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json; charset=utf-8")
                    .addHeader("ETag", etag).addHeader("X-RateLimit-Remaining",
                            Integer.toString(queueRateLimit.decrementAndGet())).body(text).build();
        } catch (IOException e) {
            return error(500, "Server Error");
        }
    }

    public void setStatus(String name, String status, boolean busy) {
        runners.values().stream().filter(r -> r.name().equals(name)).findFirst().ifPresent(r ->
                runners.put(r.id(), new Runner(r.id(), r.name(), r.labels(), status, busy)));
    }

    public List<Runner> named(String prefix) {
        return runners.values().stream().filter(r -> r.name().startsWith(prefix)).toList();
    }

    private static MockResponse json(int code, Object body) throws IOException {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json; charset=utf-8")
                .addHeader("X-RateLimit-Remaining", "4999").body(Json.mapper().writeValueAsString(body)).build();
    }

    private static MockResponse error(int code, String message) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json; charset=utf-8")
                .body("{\"message\":\"" + message.replace("\"", "\\\"") + "\","
                        + "\"documentation_url\":\"https://docs.github.com/rest\",\"status\":\"" + code + "\"}")
                .build();
    }

    @Override
    public void close() {
        server.close();
    }
}
