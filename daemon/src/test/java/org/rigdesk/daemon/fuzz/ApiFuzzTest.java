package org.rigdesk.daemon.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.daemon.testing.UnixHttpClient;

/**
 * 100,000 generated requests (a seeded generator: the same run every time; set
 * {@code -Drigdesk.fuzz.seed} for another) against a real daemon (demo rig, no VM image, so no VM boots): every
 * route with odd parameters, random and mutated JSON (wrong types, huge numbers, deep nesting,
 * control characters), garbage bodies, bodies over the limit, odd methods. No answer may be a
 * 5xx (502 from an unreachable GitHub is GitHub's answer, passed on), none may take over 10 s,
 * and whatever no request was accepted for (GPU modes, settings, jobs, the runner) must be as it
 * was at the start.
 */
class ApiFuzzTest {

    static final int REQUESTS = Integer.getInteger("rigdesk.fuzz.requests", 100_000);
    private static final List<String> ROUTES = List.of("GET /metrics", "GET /v1/audit", "GET /v1/gpus",
            "GET /v1/gpus/{bdf}", "GET /v1/info", "GET /v1/jobs", "GET /v1/jobs/{id}", "GET /v1/jobs/{id}/log",
            "GET /v1/nvidia-smi", "GET /v1/runner", "GET /v1/settings", "GET /v1/telemetry",
            "GET /v1/telemetry/history", "GET /v1/telemetry/processes", "POST /v1/jobs", "POST /v1/jobs/{id}/cancel",
            "POST /v1/runner/pause", "POST /v1/runner/resume", "POST /v1/runner/test-job", "POST /v1/runner/release",
            "PUT /v1/gpus/{bdf}/mode",
            "PUT /v1/runner", "DELETE /v1/runner", "PUT /v1/settings");
    private static final List<String> FIELDS = List.of("mode", "script", "gpus", "cpus", "memoryMiB",
            "timeoutSeconds", "env", "secrets", "name", "url", "token", "labels", "namePrefix", "runnerGroupId",
            "apiUrl", "gpuSlots", "cpuSlots", "slotCpus", "slotMemoryMiB", "sampleIntervalMs", "historyDays",
            "jobRetentionCount", "jobRetentionDays", "gpu", "repository", "workflow", "job", "runId", "runAttempt");
    private static final List<String> ODD = List.of("", "0", "-1", "9223372036854775808", "1e309", "0000:01:00.0",
            "0000:02:00.0", "0000:00:02.0", "0000:01:00.1", "ffff:ff:1f.7", "..", "%2e%2e", "a/b", "%00", "ü€😀",
            "0000:01:00.0/../..", "vfio", "host", " ", "null", "true", "x".repeat(300));

    record Request(String route, String method, String target, String contentType, byte[] body) {
        @Override
        public String toString() {
            return method + " " + target + (body == null ? "" : " [" + body.length + " bytes: "
                    + new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8) + "]");
        }
    }

    private static Path dir;
    private static DaemonProcess daemon;
    private static UnixHttpClient client;
    private static UnixHttpClient observer;
    private static final AtomicLong CHECKED = new AtomicLong();
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor();
    private static final Set<String> ACCEPTED = ConcurrentHashMap.newKeySet();
    private static final AtomicLong SENT = new AtomicLong();
    /** The requests before the current one, for a failure to show what led to it. */
    private static final java.util.ArrayDeque<String> LAST = new java.util.ArrayDeque<>();
    /** Nanoseconds spent per route, to show where a run's time goes. */
    private static final java.util.Map<String, AtomicLong> NANOS = new ConcurrentHashMap<>();
    private static String before;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("rigdesk-fuzz");
        daemon = new DaemonProcess(dir).simulate("desktop").withArgs("--image", dir.resolve("no-image").toString())
                .start();
        client = new UnixHttpClient(daemon.socket());
        observer = new UnixHttpClient(daemon.socket());
        before = state();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            String after = state();
            String[] was = before.split("\n");
            String[] now = after.split("\n");
            List<String> names = List.of("gpus", "settings", "jobs", "runner");
            for (int i = 0; i < names.size(); i++) {
                if (!ACCEPTED.contains(names.get(i)) && !was[i].equals(now[i])) {
                    throw new AssertionError(names.get(i) + " changed though no request for it was accepted:\n"
                            + was[i] + "\n→ " + now[i]);
                }
            }
            if (SENT.get() < REQUESTS) {
                throw new AssertionError("only " + SENT.get() + " requests were sent");
            }
            System.out.println("fuzz: " + SENT.get() + " requests, " + CHECKED.get() + " rejected changes checked "
                    + "to change nothing, accepted changes to " + ACCEPTED + "; slowest routes (s): "
                    + NANOS.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().get(), a.getValue().get()))
                            .limit(6).map(e -> e.getKey() + " " + String.format("%.1f", e.getValue().get() / 1e9))
                            .toList());
        } finally {
            observer.close();
            client.close();
            daemon.close();
            WATCHDOG.shutdownNow();
        }
    }

    /** What rejected requests must not change: GPU modes, settings, job count, registration. */
    private static String state() throws IOException {
        try (DaemonClient api = daemon.client()) {
            String gpus = api.getText("/v1/gpus").replaceAll("\"usedBy\":[^,}]*", "");
            String modes = String.join(",", java.util.regex.Pattern.compile("\"bdf\":\"([^\"]+)\".*?\"mode\":\"([a-z]+)\"")
                    .matcher(gpus).results().map(m -> m.group(1) + "=" + m.group(2)).toList());
            return modes + "\n" + api.getText("/v1/settings") + "\n"
                    + api.getText("/v1/jobs").split("\"id\"").length + "\n"
                    + api.getText("/v1/runner").contains("\"registered\":true");
        }
    }

    @Test
    void noRequestBreaksTheDaemon() throws Exception {
        Random random = new Random(Long.getLong("rigdesk.fuzz.seed", 20261127L));
        for (int i = 0; i < REQUESTS; i++) {
            Request request = request(random);
            try {
                one(request);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("request " + (i + 1) + " (" + request + "; the requests up to it: " + LAST
                        + "; the last bytes received: " + client.recentBytes() + ") of the run with seed "
                        + Long.getLong("rigdesk.fuzz.seed", 20261127L) + ": " + e.getMessage(), e);
            }
        }
    }

    private void one(Request request) throws Exception {
        long start = System.nanoTime();
        try {
            send(request);
        } finally {
            NANOS.computeIfAbsent(request.route(), route -> new AtomicLong()).addAndGet(System.nanoTime() - start);
        }
    }

    private void send(Request request) throws Exception {
        SENT.incrementAndGet();
        if (LAST.size() == 3) {
            LAST.removeFirst();
        }
        LAST.addLast(request.toString());
        // For one change in four, what it targets is read before and after: a refusal must leave it as it was.
        String resource = resource(request);
        String seen = resource != null && (SENT.get() & 3) == 0 ? snapshot(resource) : null;
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(client::reset, 10, TimeUnit.SECONDS);
        UnixHttpClient.Answer answer;
        try {
            answer = client.send(request.method(), request.target(), request.contentType(), request.body());
        } catch (IOException e) {
            client.reset();
            if (watchdog.isDone()) {
                throw new AssertionError("no answer within 10 s: " + request);
            }
            return; // the server closed a connection it would not read further: allowed
        } finally {
            watchdog.cancel(false);
        }
        boolean github = answer.status() == 502 && answer.body().contains("github");
        if (answer.status() >= 500 && !github) {
            throw new AssertionError(answer.status() + " for " + request + ": " + answer.body());
        }
        if (seen != null && answer.status() >= 400) {
            String now = snapshot(resource);
            if (!seen.equals(now)) {
                throw new AssertionError("a refused " + request + " (" + answer.status() + ") changed " + resource
                        + ":\n" + seen + "\n→ " + now);
            }
            CHECKED.incrementAndGet();
        }
        if (answer.status() < 300 && !request.method().equals("GET") && !request.method().equals("HEAD")) {
            String path = request.target();
            for (String changed : List.of("gpus", "settings", "jobs", "runner")) {
                if (path.startsWith("/v1/" + changed)) {
                    ACCEPTED.add(changed);
                }
            }
        }
    }

    /** The resource a change targets, or null for a read. */
    private static String resource(Request request) {
        if (request.method().equals("GET") || request.method().equals("HEAD")) {
            return null;
        }
        for (String resource : List.of("gpus", "settings", "jobs", "runner")) {
            if (request.target().startsWith("/v1/" + resource)) {
                return resource;
            }
        }
        return null;
    }

    /** What a resource is now, in the form a refusal must leave unchanged. */
    private static String snapshot(String resource) throws IOException {
        String body;
        try {
            body = observer.send("GET", "/v1/" + resource, null, null).body();
        } catch (IOException closedWhileIdle) {
            // A server may close an idle kept-alive connection; a GET is retried, as HTTP clients do.
            observer.reset();
            body = observer.send("GET", "/v1/" + resource, null, null).body();
        }
        return switch (resource) {
            case "gpus" -> String.join(",", java.util.regex.Pattern.compile("\"mode\":\"([a-z]+)\"").matcher(body)
                    .results().map(m -> m.group(1)).toList());
            case "jobs" -> Integer.toString(body.split("\"id\"").length);
            case "runner" -> Boolean.toString(body.contains("\"registered\":true"));
            default -> body;
        };
    }

    static Request request(Random random) {
        String route = ROUTES.get(random.nextInt(ROUTES.size()));
        String method = route.substring(0, route.indexOf(' '));
        if (random.nextInt(10) == 0) {
            method = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "BREW")
                    .get(random.nextInt(9));
        }
        String path = route.substring(route.indexOf(' ') + 1)
                .replace("{bdf}", pathPart(random))
                .replace("{id}", random.nextBoolean() ? Integer.toString(random.nextInt(5)) : pathPart(random));
        if (random.nextInt(4) == 0) {
            path += "?" + query(random);
        }
        if (path.contains("follow")) {
            path = path.replace("follow", "f"); // a followed log streams on purpose: not a hang
        }
        byte[] body = null;
        String type = "application/json";
        if (!method.equals("GET") || random.nextInt(20) == 0) {
            body = body(random);
            if (random.nextInt(15) == 0) {
                type = List.of("text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1",
                        "").get(random.nextInt(4));
            }
        }
        return new Request(route, method, path, type, body);
    }

    private static String pathPart(Random random) {
        String value = ODD.get(random.nextInt(ODD.size()));
        StringBuilder safe = new StringBuilder();
        for (char c : value.toCharArray()) {
            safe.append(c > 32 && c < 127 ? String.valueOf(c) : "%" + String.format("%02X", (int) c & 0xff));
        }
        return safe.toString();
    }

    private static String query(Random random) {
        List<String> keys = List.of("state", "limit", "gpu", "seconds", "offset", "since", "x");
        StringBuilder query = new StringBuilder();
        for (int i = random.nextInt(3); i >= 0; i--) {
            query.append(keys.get(random.nextInt(keys.size()))).append('=').append(pathPart(random)).append('&');
        }
        return query.toString();
    }

    private static byte[] body(Random random) {
        if (random.nextInt(200) == 0) { // over the 1 MiB limit: rare, or the run is spent copying bytes
            return ("{\"script\":\"" + "x".repeat((1 << 20) + random.nextInt(1000)) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
        }
        switch (random.nextInt(12)) {
            case 0: {
                byte[] junk = new byte[random.nextInt(200)];
                random.nextBytes(junk);
                return junk;
            }
            case 1:
                return ("[".repeat(2000 + random.nextInt(3000)) + "]".repeat(10)).getBytes(StandardCharsets.UTF_8);
            case 2:
            case 3:
                String json = json(random, 0);
                return json.substring(0, random.nextInt(json.length() + 1)).getBytes(StandardCharsets.UTF_8);
            default:
                return json(random, 0).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A JSON value, mostly objects with the API's field names and values of any type. */
    private static String json(Random random, int depth) {
        int kind = depth == 0 ? 0 : random.nextInt(depth > 4 ? 6 : 8);
        switch (kind) {
            case 0: {
                StringBuilder object = new StringBuilder("{");
                for (int i = random.nextInt(6); i > 0; i--) {
                    String key = random.nextInt(8) == 0 ? text(random) : FIELDS.get(random.nextInt(FIELDS.size()));
                    object.append('"').append(key).append("\":").append(json(random, depth + 1));
                    if (i > 1) {
                        object.append(',');
                    }
                }
                return object.append('}').toString();
            }
            case 1:
                return "\"" + text(random) + "\"";
            case 2:
                return List.of("0", "-1", "1", "2", "128", "1024", "86400", "2147483648", "-9223372036854775809",
                        "1e400", "0.5", "-0.0").get(random.nextInt(12));
            case 3:
                return List.of("true", "false", "null").get(random.nextInt(3));
            case 4:
                return "\"" + ODD.get(random.nextInt(ODD.size())).replace("\\", "") + "\"";
            case 5:
                return "\"https://github.com/" + text(random) + "\"";
            default: {
                StringBuilder array = new StringBuilder("[");
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.append(json(random, depth + 1)).append(i > 1 ? "," : "");
                }
                return array.append(']').toString();
            }
        }
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(24); i > 0; i--) {
            int c = random.nextInt(5) == 0 ? random.nextInt(0x2000) : 32 + random.nextInt(95);
            if (c == '"' || c == '\\') {
                text.append('\\');
            }
            if (c < 32) {
                text.append(String.format("\\u%04x", c));
            } else {
                text.appendCodePoint(c);
            }
        }
        return text.toString();
    }
}
