package org.rigdesk.daemon.github;

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
 * A local stand-in for GitHub's REST API (self-hosted runners of one repo or org), answering with
 * the documented JSON, status codes, headers and error bodies: 401 "Bad credentials", 403 for a
 * token without the permission, 409 for a runner name in use, 422 for deleting a busy runner,
 * rate limits with Retry-After, and 5xx on demand.
 */
final class FakeGitHub extends Dispatcher implements AutoCloseable {

    static final String GOOD_TOKEN = "ghp_test-good-token-1234";
    static final String READ_ONLY_TOKEN = "ghp_test-read-only-9876";

    record Runner(long id, String name, List<String> labels, String status, boolean busy) {
    }

    final MockWebServer server = new MockWebServer();
    final Map<Long, Runner> runners = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(100);
    private final String scopePath;
    volatile int failWith5xx;
    volatile int rateLimitedCalls;

    FakeGitHub(String scopePath) throws IOException {
        this.scopePath = scopePath;
        server.setDispatcher(this);
        server.start();
    }

    String apiUrl() {
        return server.url("/").toString().replaceAll("/$", "");
    }

    Runner add(String name, String status, boolean busy) {
        Runner runner = new Runner(ids.incrementAndGet(), name, List.of("self-hosted"), status, busy);
        runners.put(runner.id(), runner);
        return runner;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
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
        if (failWith5xx > 0) {
            failWith5xx--;
            return error(502, "Server Error");
        }
        String auth = request.getHeaders().get("Authorization");
        if (auth == null || !(auth.equals("Bearer " + GOOD_TOKEN) || auth.equals("Bearer " + READ_ONLY_TOKEN))) {
            return error(401, "Bad credentials");
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
        if (runners.values().stream().anyMatch(r -> r.name().equals(name))) {
            return error(409, "Already exists - A runner with the name " + name + " already exists.");
        }
        List<String> labels = new ArrayList<>();
        body.get("labels").forEach(l -> labels.add(l.asText()));
        Runner runner = new Runner(ids.incrementAndGet(), name, labels, "offline", false);
        runners.put(runner.id(), runner);
        return json(201, Map.of("runner", Map.of("id", runner.id(), "name", name, "os", "unknown",
                "status", "offline", "busy", false), "encoded_jit_config", "ZW5jb2RlZC1qaXQtY29uZmlnLWZvci0" + runner.id()));
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
