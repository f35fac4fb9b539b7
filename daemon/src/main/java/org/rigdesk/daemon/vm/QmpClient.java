package org.rigdesk.daemon.vm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.rigdesk.api.wire.Json;

/** A one-command QEMU Machine Protocol session: greeting, qmp_capabilities, the command, its reply. */
public final class QmpClient {

    private QmpClient() {
    }

    public static JsonNode execute(Path socket, String command) throws IOException {
        return execute(socket, List.of(Map.of("execute", command)));
    }

    /** Runs each command in turn ({@code {"execute": …, "arguments": …}}); the last one's return. */
    public static JsonNode execute(Path socket, List<Map<String, Object>> commands) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                    StandardCharsets.UTF_8));
            OutputStream out = Channels.newOutputStream(channel);
            expect(in, "QMP");
            send(out, Map.of("execute", "qmp_capabilities"));
            expect(in, "return");
            JsonNode last = null;
            for (Map<String, Object> command : commands) {
                send(out, command);
                last = expect(in, "return");
            }
            return last;
        }
    }

    private static void send(OutputStream out, Map<String, Object> command) throws IOException {
        out.write((Json.mapper().writeValueAsString(command) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads lines until one has {@code key}; events in between are skipped; an error is thrown. */
    private static JsonNode expect(BufferedReader in, String key) throws IOException {
        for (String line; (line = in.readLine()) != null; ) {
            JsonNode message = Json.mapper().readTree(line);
            if (message.has("error")) {
                throw new IOException("QMP error: " + message.get("error").path("desc").asText());
            }
            if (message.has(key)) {
                return message.get(key);
            }
        }
        throw new IOException("QMP connection closed");
    }
}
