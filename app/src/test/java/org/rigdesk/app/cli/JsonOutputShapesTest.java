package org.rigdesk.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.wire.Json;
import org.rigdesk.testkit.Await;
import org.rigdesk.testkit.DaemonProcess;

/**
 * Scripts read {@code rigdesk … --json}: every field path of each command's output is pinned in
 * {@code json-shapes.txt} (recorded before the client became typed). A field that goes or is
 * renamed fails here; a new field is added to the file on purpose
 * ({@code -Drigdesk.recordShapes=PATH} writes the file anew).
 */
class JsonOutputShapesTest {

    @TempDir
    static Path dir;
    static DaemonProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        DaemonProcess.requireTestImage();
        daemon = new DaemonProcess(dir).simulate("desktop").start();
        Await.until(() -> InfoCommandTest.runOn(daemon.socket(), "telemetry", "--json").out().contains("\"uuid\""),
                30, "telemetry samples");
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    @Test
    void everyJsonOutputKeepsItsFields() throws Exception {
        Map<String, List<String>> commands = new java.util.LinkedHashMap<>();
        commands.put("gpu mode", List.of("gpu", "mode", "0000:01:00.0", "vfio", "--json"));
        commands.put("info", List.of("info", "--json"));
        commands.put("gpus", List.of("gpus", "--json"));
        commands.put("telemetry", List.of("telemetry", "--json"));
        commands.put("runner status", List.of("runner", "status", "--json"));
        CliRuns.Run started = InfoCommandTest.runOn(daemon.socket(), "run", "--detach", "--", "sleep", "60");
        assertEquals(0, started.code(), started.err());
        long id = Long.parseLong(started.out().strip());
        assertEquals(0, InfoCommandTest.runOn(daemon.socket(), "cancel", Long.toString(id)).code());
        commands.put("jobs", List.of("jobs", "--json"));
        commands.put("audit", List.of("audit", "--json"));
        List<String> shapes = new ArrayList<>();
        for (var command : commands.entrySet()) {
            CliRuns.Run run = InfoCommandTest.runOn(daemon.socket(), command.getValue().toArray(String[]::new));
            assertEquals(0, run.code(), command.getKey() + ": " + run.err());
            TreeSet<String> paths = new TreeSet<>();
            collect(Json.mapper().readTree(run.out()), "", paths);
            paths.forEach(path -> shapes.add(command.getKey() + " " + path));
        }
        String actual = String.join("\n", shapes) + "\n";
        String record = System.getProperty("rigdesk.recordShapes");
        if (record != null) {
            Files.writeString(Path.of(record), actual, StandardCharsets.UTF_8);
        }
        String pinned = new String(JsonOutputShapesTest.class.getResourceAsStream("json-shapes.txt").readAllBytes(),
                StandardCharsets.UTF_8);
        assertEquals(pinned, actual);
    }

    /** Every field path: objects by key, arrays as [] over all their elements. */
    private static void collect(JsonNode node, String path, TreeSet<String> paths) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                paths.add(child);
                collect(field.getValue(), child, paths);
            });
        } else if (node.isArray()) {
            node.forEach(element -> collect(element, path + "[]", paths));
        }
    }
}
