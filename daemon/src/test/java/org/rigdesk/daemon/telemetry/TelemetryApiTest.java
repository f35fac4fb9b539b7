package org.rigdesk.daemon.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.client.DaemonException;
import org.rigdesk.api.client.EventListener;
import org.rigdesk.api.wire.ComputeProcesses;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuList;
import org.rigdesk.api.wire.GpuSample;
import org.rigdesk.api.wire.TelemetryHistory;
import org.rigdesk.api.wire.TelemetryStatus;
import org.rigdesk.testkit.DaemonProcess;

/** Telemetry of a real daemon on the desktop demo rig, whose fake nvidia-smi runs as a real child. */
class TelemetryApiTest {

    @TempDir
    static Path dir;
    static DaemonProcess daemon;
    static DaemonClient client;

    @BeforeAll
    static void start() throws Exception {
        daemon = new DaemonProcess(dir).simulate("desktop").withArgs("--sample-interval", "200").start();
        client = daemon.client();
        TelemetryServiceTest.await(() -> state().equals(TelemetryStatus.OK));
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        daemon.close();
    }

    private static String state() {
        try {
            return client.get("/v1/telemetry", TelemetryStatus.class).state();
        } catch (IOException e) {
            return "error";
        }
    }

    @Test
    void bothRtx3060sReportMovingValues() throws Exception {
        TelemetryStatus first = client.get("/v1/telemetry", TelemetryStatus.class);
        assertEquals(200, first.sampleIntervalMs());
        assertEquals(List.of("0000:01:00.0", "0000:02:00.0"), first.samples().stream().map(GpuSample::bdf).toList());
        assertTrue(first.samples().stream().allMatch(s -> s.source().equals("host") && s.ageMs() != null
                && s.ageMs() < 5_000 && s.memoryTotalMiB() == 12288.0), first.toString());
        List<Double> seen = new ArrayList<>();
        for (int i = 0; i < 40 && seen.stream().distinct().count() < 2; i++) {
            seen.add(client.get("/v1/telemetry", TelemetryStatus.class).samples().get(0).utilizationGpu());
            Thread.sleep(250);
        }
        assertTrue(seen.stream().distinct().count() >= 2, "values move: " + seen);
    }

    @Test
    void aCardOnVfioIsReportedAsInvisibleToTheHost() throws Exception {
        client.send("PUT", "/v1/gpus/0000:02:00.0/mode", Map.of("mode", "vfio"), Gpu.class);
        try {
            TelemetryServiceTest.await(() -> {
                try {
                    return client.get("/v1/telemetry", TelemetryStatus.class).samples().stream()
                            .anyMatch(s -> s.bdf().equals("0000:02:00.0") && s.source().equals(GpuSample.NONE));
                } catch (IOException e) {
                    return false;
                }
            });
            String metrics = client.getText("/metrics");
            assertTrue(metrics.contains("rigdesk_gpu_info{bdf=\"0000:02:00.0\",name=\"GeForce RTX 3060\",mode=\"vfio\""),
                    metrics);
            assertTrue(!metrics.contains("DCGM_FI_DEV_GPU_UTIL{bdf=\"0000:02:00.0\""), "no host value for it");
        } finally {
            client.send("PUT", "/v1/gpus/0000:02:00.0/mode", Map.of("mode", "host"), Gpu.class);
        }
    }

    @Test
    void historyProcessesAndTheRawTable() throws Exception {
        TelemetryServiceTest.await(() -> {
            try {
                return client.get("/v1/telemetry/history?gpu=0000:01:00.0&seconds=60", TelemetryHistory.class)
                        .points().size() >= 3;
            } catch (IOException e) {
                return false;
            }
        });
        TelemetryServiceTest.await(() -> {
            try {
                return !client.get("/v1/telemetry/processes", ComputeProcesses.class).processes().isEmpty();
            } catch (IOException e) {
                return false;
            }
        });
        assertEquals("python3 train.py --sizes 8,16,32",
                client.get("/v1/telemetry/processes", ComputeProcesses.class).processes().get(0).name());
        String table = client.getText("/v1/nvidia-smi");
        assertTrue(table.contains("NVIDIA-SMI") && table.contains("GeForce RTX 3060"), table);
        DaemonException bad = org.junit.jupiter.api.Assertions.assertThrows(DaemonException.class,
                () -> client.getText("/v1/telemetry/history?gpu=../etc&seconds=60"));
        assertEquals(400, bad.status());
        DaemonException tooLong = org.junit.jupiter.api.Assertions.assertThrows(DaemonException.class,
                () -> client.getText("/v1/telemetry/history?gpu=0000:01:00.0&seconds=99999999"));
        assertEquals(400, tooLong.status());
    }

    @Test
    void sseSubscribersReceiveSamples() throws Exception {
        LinkedBlockingQueue<String> samples = new LinkedBlockingQueue<>();
        org.rigdesk.api.client.EventSubscription source = client.events(new EventListener() {
            @Override
            public void onEvent(String type, String data) {
                if (type.equals("sample")) {
                    samples.add(data);
                }
            }

            @Override
            public void onClosed(Throwable failure) {
            }
        });
        try {
            String sample = samples.poll(10, TimeUnit.SECONDS);
            assertTrue(sample != null && sample.contains("\"utilizationGpu\""), String.valueOf(sample));
        } finally {
            source.cancel();
        }
    }

    @Test
    void metricsParseWithPrometheusOwnParser() throws Exception {
        String metrics = client.getText("/metrics");
        Path file = dir.resolve("metrics.txt");
        Files.writeString(file, metrics);
        // The reference parser from the prometheus_client package (Debian python3-prometheus-client).
        Process parse = new ProcessBuilder("/usr/bin/python3", "-c", """
                import sys
                from prometheus_client.parser import text_string_to_metric_families
                families = list(text_string_to_metric_families(open(sys.argv[1]).read()))
                for f in families:
                    for s in f.samples:
                        print(f.type, s.name, s.labels.get('bdf', '-'), s.value)
                """, file.toString()).redirectErrorStream(true).start();
        String out = new String(parse.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, parse.waitFor(), out);
        assertTrue(out.contains("gauge DCGM_FI_DEV_GPU_UTIL 0000:01:00.0"), out);
        assertTrue(out.contains("gauge DCGM_FI_DEV_GPU_UTIL 0000:02:00.0"), out);
        assertTrue(out.contains("gauge rigdesk_telemetry_up - 1.0"), out);
    }

    @Test
    void killingNvidiaSmiMakesTelemetryUnavailableAndItComesBack() throws Exception {
        List<ProcessHandle> children = daemon.process().children()
                .filter(p -> p.info().commandLine().orElse("").contains("--query-gpu")).toList();
        assertEquals(1, children.size(), "one sampling child per host");
        children.get(0).descendants().forEach(ProcessHandle::destroyForcibly);
        children.get(0).destroyForcibly();
        TelemetryServiceTest.await(() -> state().equals(TelemetryStatus.UNAVAILABLE));
        String reason = client.get("/v1/telemetry", TelemetryStatus.class).reason();
        assertTrue(reason.contains("exited"), reason);
        TelemetryServiceTest.await(() -> state().equals(TelemetryStatus.OK));
        // Direct children only: the fake is a bash script whose subshells carry the same command line.
        long after = daemon.process().children()
                .filter(p -> p.info().commandLine().orElse("").contains("--query-gpu")).count();
        assertEquals(1, after, "restarted once, nothing leaked");
        assertNotEquals(children.get(0).pid(), daemon.process().children()
                .filter(p -> p.info().commandLine().orElse("").contains("--query-gpu")).findFirst().orElseThrow().pid());
    }

    @Test
    void aHungNvidiaSmiIsVisibleThenKilledAndSamplingRecovers() throws Exception {
        ProcessHandle child = daemon.process().children()
                .filter(p -> p.info().commandLine().orElse("").contains("--query-gpu")).findFirst().orElseThrow();
        List<ProcessHandle> hung = new ArrayList<>(child.descendants().toList());
        hung.add(child);
        // SIGSTOP: the process lives on and says nothing, as nvidia-smi does when the driver hangs.
        for (ProcessHandle process : hung) {
            new ProcessBuilder("kill", "-STOP", Long.toString(process.pid())).start().waitFor();
        }
        TelemetryServiceTest.await(() -> {
            try {
                String reason = client.get("/v1/telemetry", TelemetryStatus.class).reason();
                return reason != null && reason.contains("hung");
            } catch (IOException e) {
                return false;
            }
        });
        assertEquals(3, client.get("/v1/gpus", GpuList.class).gpus().size(), "the API answers meanwhile");
        TelemetryServiceTest.await(() -> state().equals(TelemetryStatus.OK));
        TelemetryServiceTest.await(() -> hung.stream().noneMatch(ProcessHandle::isAlive));
        ProcessHandle now = daemon.process().children()
                .filter(p -> p.info().commandLine().orElse("").contains("--query-gpu")).findFirst().orElseThrow();
        assertNotEquals(child.pid(), now.pid(), "a new child samples");
    }
}
