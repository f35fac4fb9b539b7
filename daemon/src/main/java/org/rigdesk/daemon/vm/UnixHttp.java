package org.rigdesk.daemon.vm;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.Json;

/** HTTP/1.1 to a VMM's API socket (cloud-hypervisor, Firecracker): PUTs of JSON, errors as exceptions. */
final class UnixHttp {

    private static final MediaType JSON = MediaType.get("application/json");

    private final Path socket;
    private final OkHttpClient http;

    UnixHttp(Path socket) {
        this.socket = socket;
        this.http = DaemonClient.overUnixSocket(socket).readTimeout(Duration.ofSeconds(30)).build();
    }

    /** Waits for the VMM to create its socket (it starts listening a moment after exec). */
    void awaitSocket(Process vmm, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(socket)) {
            if (!vmm.isAlive()) {
                throw new IOException("the VMM exited with code " + vmm.exitValue() + " before opening " + socket);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the VMM did not open " + socket + " within " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    String put(String path, Object body) throws IOException {
        return call(new Request.Builder().url("http://localhost" + path)
                .put(body == null ? RequestBody.create(new byte[0], null) : RequestBody.create(json(body), JSON))
                .build());
    }

    String get(String path) throws IOException {
        return call(new Request.Builder().url("http://localhost" + path).get().build());
    }

    private String call(Request request) throws IOException {
        try (Response response = http.newCall(request).execute()) {
            String text = response.body().string();
            if (!response.isSuccessful()) {
                throw new IOException(request.method() + " " + request.url().encodedPath() + " answered "
                        + response.code() + ": " + text.strip());
            }
            return text;
        }
    }

    private static byte[] json(Object body) throws JsonProcessingException {
        return Json.mapper().writeValueAsBytes(body);
    }

    void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
