package org.rigdesk.daemon.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.rigdesk.api.wire.Json;
import org.rigdesk.api.wire.Problem;
import org.rigdesk.api.wire.ProblemCode;

/** One request and its response, with the helpers endpoints need. Completes the callback once. */
public final class Exchange {

    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /** An over-long body is read and dropped up to here, so the client sees our 413, not a reset. */
    private static final int DRAIN_BYTES = 8 * 1024 * 1024;
    /** Writes answers; request bodies are read by {@link JsonBodies}, which is stricter. */
    private static final ObjectMapper MAPPER = Json.mapper();

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final Map<String, String> pathParams;
    private Fields query;
    private boolean done;
    private boolean streaming;
    private boolean bodyRead;
    private final StreamSlots streams;
    private StreamSlots.Slot streamSlot;

    Exchange(Request request, Response response, Callback callback, Map<String, String> pathParams) {
        this(request, response, callback, pathParams, new StreamSlots());
    }

    Exchange(Request request, Response response, Callback callback, Map<String, String> pathParams,
             StreamSlots streams) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.pathParams = pathParams;
        this.streams = streams;
    }

    public Request request() {
        return request;
    }

    public Response response() {
        return response;
    }

    public Peer peer() {
        return Peer.of(request);
    }

    public String path(String name) {
        return pathParams.get(name);
    }

    /** A query parameter, or null when absent. */
    public String query(String name) {
        return queryFields().getValue(name);
    }

    private Fields queryFields() {
        if (query == null) {
            try {
                query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                // Jetty refuses escapes that are not UTF-8: the caller's mistake, not ours (found by fuzzing).
                throw ApiException.badRequest("the query string is not valid: use %-escaped UTF-8");
            }
        }
        return query;
    }

    /** Refuses query parameters the route does not take, and any given twice. */
    void checkQuery(Set<String> accepted, String route) {
        String raw = request.getHttpURI().getQuery();
        if (raw == null || raw.isEmpty()) {
            return;
        }
        for (Fields.Field field : queryFields()) {
            if (!accepted.contains(field.getName())) {
                throw ApiException.badRequest("unknown query parameter " + ApiException.quote(field.getName()) + ": " + route
                        + (accepted.isEmpty() ? " takes none" : " takes " + String.join(", ", new TreeSet<>(accepted))));
            }
            if (field.getValues().size() > 1) {
                throw ApiException.badRequest("query parameter " + ApiException.quote(field.getName()) + " is given more than once");
            }
        }
    }

    /** A true/false query parameter; absent is false. */
    public boolean queryBoolean(String name) {
        String raw = query(name);
        if (raw == null || raw.equals("false")) {
            return false;
        }
        if (raw.equals("true")) {
            return true;
        }
        throw ApiException.badRequest(name + " must be true or false, got " + ApiException.quote(raw));
    }

    public int queryInt(String name, int fallback, int min, int max) {
        String raw = query(name);
        if (raw == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value < min || value > max) {
                throw ApiException.badRequest(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a whole number, got '" + raw + "'");
        }
    }

    /** Reads the JSON body into {@code type}; too large, malformed or mistyped input is a 400. */
    public <T> T body(Class<T> type) throws IOException {
        bodyRead = true;
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(request)) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                in.skipNBytes(Math.min(Math.max(0, request.getLength() - bytes.length), DRAIN_BYTES));
            }
        } catch (java.io.EOFException e) {
            bytes = new byte[MAX_BODY_BYTES + 1];
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ApiException(413, ProblemCode.BODY_TOO_LARGE, "Body too large",
                    "request bodies are limited to " + MAX_BODY_BYTES + " bytes", null);
        }
        if (bytes.length == 0) {
            throw ApiException.badRequest("a JSON body is required");
        }
        return JsonBodies.read(bytes, type);
    }

    /** The raw body, for an upload (its reader bounds what it takes). */
    public InputStream bodyStream() {
        bodyRead = true;
        return Content.Source.asInputStream(request);
    }

    static boolean hasBody(Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /** A body as this API writes JSON (the same mapper and settings as {@link #json}). */
    public static byte[] serialise(Object body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public void json(int status, Object body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        send(status, "application/json", bytes);
    }

    public void text(int status, String body) {
        send(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends pre-serialised bytes (e.g. a cached JSON document) as they are. */
    public void bytes(int status, String contentType, byte[] body) {
        send(status, contentType, body);
    }

    public void problem(Problem problem) {
        try {
            send(problem.status(), Problem.MEDIA_TYPE, MAPPER.writeValueAsBytes(problem));
        } catch (JsonProcessingException e) {
            send(500, "text/plain", "internal error".getBytes(StandardCharsets.UTF_8));
        }
    }

    private void send(int status, String contentType, byte[] body) {
        if (done) {
            throw new IllegalStateException("response already sent");
        }
        done = true;
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        if (!bodyRead && hasBody(request)) {
            // A body we answer without reading may still be on its way: Jetty then closes the
            // connection after the answer, so say so, or a client sends its next request into it.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Starts a streamed 200 answer (SSE, followed logs): chunks follow, then {@link #endStream}. */
    public void startStream(String contentType) {
        if (done || streaming) {
            throw new IllegalStateException("response already started");
        }
        streaming = true;
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    }

    /**
     * Starts a stream that lasts as long as the client listens (events, a followed log): it holds a
     * thread, so it first takes one of the caller's stream slots ({@link StreamSlots}), or is
     * refused with a 429 before anything is sent. The headers go at once: a client following
     * something quiet (a job that has printed nothing yet) knows it is connected.
     */
    public void startLongStream(String contentType) throws IOException {
        if (streamSlot == null) {
            streamSlot = streams.take(peer());
        }
        startStream(contentType);
        writeChunk(new byte[0], 0);
    }

    /** The long stream's slot goes back: called when the handler returns, however it ended. */
    void releaseStream() {
        if (streamSlot != null) {
            streamSlot.close();
        }
    }

    /** Writes a chunk of a stream and waits until it is flushed (back-pressure per client). */
    public void writeChunk(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        writeChunk(bytes, bytes.length);
    }

    public void writeChunk(byte[] bytes, int length) throws IOException {
        Callback.Completable written = new Callback.Completable();
        response.write(false, ByteBuffer.wrap(bytes, 0, length), written);
        try {
            written.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing", e);
        } catch (ExecutionException e) {
            throw new IOException("client went away: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Ends a stream started with {@link #writeChunk}. */
    public void endStream(Throwable failure) {
        if (done) {
            return;
        }
        done = true;
        if (failure == null) {
            response.write(true, null, callback);
        } else {
            callback.failed(failure);
        }
    }

    boolean isStarted() {
        return done || streaming;
    }
}
