package org.rigdesk.api.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.newsclub.net.unix.AFUNIXSocketFactory;
import org.rigdesk.api.wire.AuditEntry;
import org.rigdesk.api.wire.AuditLog;
import org.rigdesk.api.wire.ComputeProcess;
import org.rigdesk.api.wire.ComputeProcesses;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuList;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.Info;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobList;
import org.rigdesk.api.wire.JobNetwork;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.api.wire.LendingRequest;
import org.rigdesk.api.wire.ReclaimRequest;
import org.rigdesk.api.wire.Json;
import org.rigdesk.api.wire.ModeRequest;
import org.rigdesk.api.wire.Problem;
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.api.wire.RunnerTestJob;
import org.rigdesk.api.wire.Settings;
import org.rigdesk.api.wire.TelemetryHistory;
import org.rigdesk.api.wire.TelemetryStatus;

/**
 * HTTP/1.1 + JSON to rigdeskd over its unix socket. Thread-safe; one per socket.
 * Errors come back as {@link DaemonException} (the daemon's problem document) or
 * {@link DaemonUnreachableException} (nobody listening).
 */
public class DaemonClient implements RigdeskApi {

    private static final MediaType JSON = MediaType.get("application/json");

    private final Path socket;
    private final OkHttpClient http;
    private final OkHttpClient streaming;
    private final ObjectMapper mapper = Json.mapper();

    public DaemonClient(Path socket) {
        this.socket = socket;
        this.http = overUnixSocket(socket)
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(60))
                .build();
        // Event streams and followed logs stay open indefinitely; heartbeats keep them alive.
        this.streaming = http.newBuilder().readTimeout(Duration.ZERO).build();
    }

    @Override
    public Path socket() {
        return socket;
    }

    /**
     * An OkHttp client that speaks HTTP/1.1 to a unix socket (rigdeskd's, or a VMM's API socket).
     * The host name in URLs is only for the Host header: it is never resolved.
     */
    public static OkHttpClient.Builder overUnixSocket(Path socket) {
        return new OkHttpClient.Builder()
                // Clear text only: a unix socket has no TLS, and without a TLS spec OkHttp does not
                // load the JDK's trust store (half a second of the window's start on 2 cores).
                .connectionSpecs(List.of(okhttp3.ConnectionSpec.CLEARTEXT))
                .socketFactory(new AFUNIXSocketFactory.FactoryArg(socket.toFile()))
                .dns(host -> List.of(InetAddress.getLoopbackAddress()))
                .protocols(List.of(Protocol.HTTP_1_1))
                .retryOnConnectionFailure(false);
    }

    // The contract, typed. The paths live here and in the daemon's *Routes classes only.

    @Override
    public Info info() throws IOException {
        return get("/v1/info", Info.class);
    }

    @Override
    public List<Gpu> gpus() throws IOException {
        return get("/v1/gpus", GpuList.class).gpus();
    }

    @Override
    public Gpu setGpuMode(String bdf, GpuMode mode) throws IOException {
        return send("PUT", path("v1", "gpus", bdf, "mode"), new ModeRequest(mode.wire()), Gpu.class);
    }

    @Override
    public Gpu setGpuLending(String bdf, LendingRequest request) throws IOException {
        return send("PUT", path("v1", "gpus", bdf, "lending"), request, Gpu.class);
    }

    @Override
    public List<org.rigdesk.api.wire.CacheInfo> caches() throws IOException {
        return get("/v1/caches", org.rigdesk.api.wire.CacheList.class).caches();
    }

    @Override
    public void clearCache(String name) throws IOException {
        send("DELETE", path("v1", "caches", name), null, org.rigdesk.api.wire.CacheList.class);
    }

    /** Checks a GPU's health now; a card that passes leaves its quarantine. */
    public Gpu checkGpu(String bdf) throws IOException {
        return checkGpu(bdf, false);
    }

    @Override
    public Gpu checkGpu(String bdf, boolean reset) throws IOException {
        return send("POST", path("v1", "gpus", bdf, "check") + (reset ? "?reset=true" : ""), null, Gpu.class);
    }

    @Override
    public Gpu reclaimGpu(String bdf, boolean cancelJob) throws IOException {
        return send("POST", path("v1", "gpus", bdf, "reclaim"), new ReclaimRequest(cancelJob), Gpu.class);
    }

    @Override
    public TelemetryStatus telemetry() throws IOException {
        return get("/v1/telemetry", TelemetryStatus.class);
    }

    @Override
    public TelemetryHistory telemetryHistory(String bdf, int seconds) throws IOException {
        return get(url("/v1/telemetry/history").newBuilder().addQueryParameter("gpu", bdf)
                .addQueryParameter("seconds", Integer.toString(seconds)), TelemetryHistory.class);
    }

    @Override
    public List<ComputeProcess> computeProcesses() throws IOException {
        return get("/v1/telemetry/processes", ComputeProcesses.class).processes();
    }

    @Override
    public String nvidiaSmi() throws IOException {
        return getText("/v1/nvidia-smi");
    }

    @Override
    public List<Job> jobs(String state, int limit) throws IOException {
        HttpUrl.Builder url = url("/v1/jobs").newBuilder().addQueryParameter("limit", Integer.toString(limit));
        if (state != null) {
            url.addQueryParameter("state", state);
        }
        return get(url, JobList.class).jobs();
    }

    @Override
    public Job job(long id) throws IOException {
        return get("/v1/jobs/" + id, Job.class);
    }

    @Override
    public JobNetwork jobNetwork(long id) throws IOException {
        return get("/v1/jobs/" + id + "/network", JobNetwork.class);
    }

    @Override
    public Job submitJob(JobRequest request) throws IOException {
        return send("POST", "/v1/jobs", request, Job.class);
    }

    @Override
    public Job cancelJob(long id) throws IOException {
        return send("POST", "/v1/jobs/" + id + "/cancel", null, Job.class);
    }

    @Override
    public java.io.InputStream openLog(long id, long offset, boolean follow) throws IOException {
        HttpUrl.Builder url = url("/v1/jobs/" + id + "/log").newBuilder();
        if (offset > 0) {
            url.addQueryParameter("offset", Long.toString(offset));
        }
        if (follow) {
            url.addQueryParameter("follow", "true");
        }
        return openText(url.build());
    }

    @Override
    public byte[] readLog(long id, long offset, int limit) throws IOException {
        HttpUrl url = url("/v1/jobs/" + id + "/log").newBuilder().addQueryParameter("offset", Long.toString(offset))
                .addQueryParameter("limit", Integer.toString(limit)).build();
        try (java.io.InputStream in = openText(url)) {
            return in.readAllBytes();
        }
    }

    @Override
    public RunnerStatus runner() throws IOException {
        return get("/v1/runner", RunnerStatus.class);
    }

    @Override
    public RunnerStatus registerRunner(RunnerRegistration registration) throws IOException {
        return send("PUT", "/v1/runner", registration, RunnerStatus.class);
    }

    @Override
    public RunnerStatus setRunnerPaused(boolean paused) throws IOException {
        return send("POST", paused ? "/v1/runner/pause" : "/v1/runner/resume", null, RunnerStatus.class);
    }

    @Override
    public RunnerStatus removeRunner() throws IOException {
        return send("DELETE", "/v1/runner", null, RunnerStatus.class);
    }

    @Override
    public RunnerStatus useRunnerTarball(java.nio.file.Path tarball, String version, String sha256) throws IOException {
        HttpUrl.Builder url = url("/v1/runner/release").newBuilder()
                .addQueryParameter("file", tarball.getFileName().toString());
        if (version != null) {
            url.addQueryParameter("version", version);
        }
        if (sha256 != null) {
            url.addQueryParameter("sha256", sha256);
        }
        RequestBody body = RequestBody.create(tarball.toFile(), MediaType.get("application/gzip"));
        // No read timeout: the daemon unpacks the runner and lays its disk before it answers.
        try (Response response = execute(streaming, request(url.build()).post(body).build())) {
            return mapper.readValue(response.body().byteStream(), RunnerStatus.class);
        }
    }

    @Override
    public void runnerTestJob(RunnerTestJob job) throws IOException {
        send("POST", "/v1/runner/test-job", job, java.util.Map.class);
    }

    @Override
    public Settings settings() throws IOException {
        return get("/v1/settings", Settings.class);
    }

    @Override
    public Settings updateSettings(Settings wanted) throws IOException {
        return send("PUT", "/v1/settings", wanted, Settings.class);
    }

    @Override
    public List<AuditEntry> audit(int limit) throws IOException {
        return get(url("/v1/audit").newBuilder().addQueryParameter("limit", Integer.toString(limit)), AuditLog.class)
                .entries();
    }

    /** A path from segments, each percent-encoded (a BDF is safe, but nothing is assumed). */
    private static String path(String... segments) {
        HttpUrl.Builder url = new HttpUrl.Builder().scheme("http").host("localhost");
        for (String segment : segments) {
            url.addPathSegment(segment);
        }
        return url.build().encodedPath();
    }

    private <T> T get(HttpUrl.Builder url, Class<T> type) throws IOException {
        return call(request(url.build()).get().build(), mapper.constructType(type));
    }

    // The untyped calls: for benchmarks and tests that speak the wire directly.

    public <T> T get(String path, Class<T> type) throws IOException {
        return call(request(path).get().build(), mapper.constructType(type));
    }

    public <T> T get(String path, JavaType type) throws IOException {
        return call(request(path).get().build(), type);
    }

    public String getText(String path) throws IOException {
        try (Response response = execute(request(path).get().build())) {
            return bodyText(response);
        }
    }

    public <T> T send(String method, String path, Object body, Class<T> type) throws IOException {
        RequestBody requestBody = body == null
                ? RequestBody.create(new byte[0], JSON)
                : RequestBody.create(mapper.writeValueAsBytes(body), JSON);
        return call(request(path).method(method, requestBody).build(), mapper.constructType(type));
    }

    /**
     * Copies a streamed text answer (a followed job log) to {@code sink} as it arrives; returns the
     * bytes copied. Blocks until the daemon ends the stream.
     */
    public long stream(String pathAndQuery, java.io.OutputStream sink) throws IOException {
        return Streams.copy(openStream(pathAndQuery), sink);
    }

    /** Opens a streamed text answer; closing the stream (from any thread) ends it. */
    public java.io.InputStream openStream(String pathAndQuery) throws IOException {
        return openText(url(pathAndQuery));
    }

    private java.io.InputStream openText(HttpUrl url) throws IOException {
        return execute(streaming, request(url).header("Accept", "text/plain").build()).body().byteStream();
    }

    /** Subscribes to {@code /v1/events}; cancel the subscription to stop. */
    @Override
    public EventSubscription events(EventListener listener) {
        Request request = request("/v1/events").header("Accept", "text/event-stream").build();
        EventSource source = EventSources.createFactory(streaming).newEventSource(request, new EventSourceListener() {
            @Override
            public void onOpen(EventSource source, Response response) {
                listener.onOpen();
            }

            @Override
            public void onEvent(EventSource source, String id, String type, String data) {
                listener.onEvent(type == null ? "message" : type, data);
            }

            @Override
            public void onClosed(EventSource source) {
                listener.onClosed(null);
            }

            @Override
            public void onFailure(EventSource source, Throwable t, Response response) {
                Throwable failure = t;
                if (response != null && !response.isSuccessful()) {
                    failure = problemOf(response);
                } else if (t instanceof IOException io && isConnectFailure(io)) {
                    failure = new DaemonUnreachableException(socket, io);
                }
                listener.onClosed(failure == null ? new IOException("event stream failed") : failure);
            }
        });
        return source::cancel;
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    HttpUrl url(String pathAndQuery) {
        HttpUrl url = HttpUrl.parse("http://localhost" + pathAndQuery);
        if (url == null) {
            throw new IllegalArgumentException("not a valid request path: " + pathAndQuery);
        }
        return url;
    }

    private Request.Builder request(String pathAndQuery) {
        return request(url(pathAndQuery));
    }

    private static Request.Builder request(HttpUrl url) {
        return new Request.Builder().url(url).header("Accept", "application/json");
    }

    private <T> T call(Request request, JavaType type) throws IOException {
        try (Response response = execute(request)) {
            ResponseBody body = response.body();
            if (type.getRawClass() == Void.class) {
                return null;
            }
            try {
                return mapper.readValue(body.byteStream(), type);
            } catch (JsonProcessingException e) {
                throw new IOException("rigdeskd sent a reply this client cannot read: " + e.getOriginalMessage(), e);
            }
        }
    }

    /** Executes and returns a successful response; turns failures into our two exceptions. */
    private Response execute(Request request) throws IOException {
        return execute(http, request);
    }

    private Response execute(OkHttpClient client, Request request) throws IOException {
        Response response;
        try {
            response = client.newCall(request).execute();
        } catch (IOException e) {
            if (isConnectFailure(e)) {
                throw new DaemonUnreachableException(socket, e);
            }
            throw e;
        }
        if (!response.isSuccessful()) {
            try (response) {
                throw problemOf(response);
            }
        }
        return response;
    }

    private DaemonException problemOf(Response response) {
        String text = "";
        try {
            text = bodyText(response);
            Problem problem = mapper.readValue(text, Problem.class);
            if (problem.status() != 0) {
                return new DaemonException(problem);
            }
        } catch (IOException | RuntimeException ignored) {
            // Not a problem document: fall through to a generic one built from the status line.
        }
        return new DaemonException(new Problem("about:blank", response.message(), response.code(),
                text.isBlank() ? "HTTP " + response.code() : text.strip(), null));
    }

    private static String bodyText(Response response) throws IOException {
        return response.body().string();
    }

    private static boolean isConnectFailure(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketException && !(t instanceof java.net.SocketTimeoutException)) {
                String message = String.valueOf(t.getMessage());
                if (t instanceof java.net.ConnectException || message.contains("No such file")
                        || message.contains("Connection refused") || message.contains("not found")) {
                    return true;
                }
            }
        }
        return false;
    }
}
