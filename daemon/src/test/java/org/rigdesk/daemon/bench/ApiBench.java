package org.rigdesk.daemon.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.client.EventListener;
import org.rigdesk.api.wire.GpuSample;
import org.rigdesk.api.wire.Json;
import org.rigdesk.testkit.BenchReport;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.daemon.testing.UnixHttpClient;

/**
 * The daemon under load, with the JVM flags the package ships: GET /v1/gpus against nginx
 * serving the same bytes on a unix socket (same client, same run), SSE fan-out to 100
 * subscribers, and the footprint (RSS idle, time to a ready socket).
 */
@Tag("bench")
class ApiBench {

    /** What packaging/deb/build-deb.sh gives the rigdeskd launcher. */
    static final String SHIPPED_FLAGS = "-XX:+UseSerialGC -Xss512k -Xms8m -Xmx256m -XX:MinHeapFreeRatio=10 "
            + "-XX:MaxHeapFreeRatio=30 -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=24m -XX:MaxMetaspaceSize=96m";

    @TempDir
    Path dir;

    /** The shipped flags, or {@code -Drigdesk.bench.daemonFlags} to try others. */
    static String daemonFlags() {
        return System.getProperty("rigdesk.bench.daemonFlags", SHIPPED_FLAGS);
    }

    private DaemonProcess labDaemon(String... args) {
        return new DaemonProcess(dir).simulate("lab").withArgs(args).withEnv("JAVA_TOOL_OPTIONS", daemonFlags());
    }

    @Test
    void gpusRoundTripAgainstNginx() throws Exception {
        try (DaemonProcess daemon = labDaemon().start(); DaemonClient client = daemon.client()) {
            byte[] body = client.getText("/v1/gpus").getBytes(StandardCharsets.UTF_8);
            Path json = Files.write(dir.resolve("gpus.json"), body);
            Path nginxSocket = dir.resolve("nginx.sock");
            Path conf = Files.writeString(dir.resolve("nginx.conf"), String.join("\n",
                    "daemon off;", "user root;", "worker_processes auto;", "pid " + dir.resolve("nginx.pid") + ";",
                    "error_log " + dir.resolve("nginx-error.log") + ";", "events { worker_connections 512; }",
                    "http { access_log off; keepalive_requests 10000000; keepalive_timeout 300s;",
                    "server { listen unix:" + nginxSocket + ";",
                    "location = /v1/gpus { default_type application/json; alias " + json + "; } } }", ""));
            Process nginx;
            try {
                nginx = new ProcessBuilder("nginx", "-c", conf.toString(), "-p", dir.toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
            } catch (IOException e) {
                throw new IOException("the API benchmark measures against nginx, which cannot run here ("
                        + e.getMessage() + "): ./dev bench installs it (Debian package nginx)", e);
            }
            try {
                for (int i = 0; i < 100 && !Files.exists(nginxSocket); i++) {
                    Thread.sleep(50);
                }
                // Alternating rounds, so drift on the machine touches both alike; each figure is the
                // median over the rounds (one noisy round on 2 shared cores cannot decide it).
                List<long[]> ours1 = new ArrayList<>();
                List<long[]> theirs1 = new ArrayList<>();
                List<long[]> ours32 = new ArrayList<>();
                List<long[]> theirs32 = new ArrayList<>();
                for (int round = 0; round < ROUNDS; round++) {
                    ours1.add(oneClient(daemon.socket()));
                    theirs1.add(oneClient(nginxSocket));
                    ours32.add(clients(daemon.socket(), 32));
                    theirs32.add(clients(nginxSocket, 32));
                }
                report("1 client", ours1, theirs1, body.length);
                report("32 clients", ours32, theirs32, body.length);
                // On 2 shared cores the figure depends on where the scheduler puts the threads: the
                // one client pinned with both servers on its core, then on the other core.
                List<Long> servers = processesOf(daemon.process().pid());
                servers.addAll(processesOf(nginx.pid()));
                int cores = Runtime.getRuntime().availableProcessors();
                for (int serverCore : cores > 1 ? new int[] {0, 1} : new int[] {0}) {
                    String placement = serverCore == 0 ? "client and server on core 0" : "client on core 0, server on 1";
                    try (Pinned pinned = Pinned.clientOn(0)) {
                        for (long pid : servers) {
                            taskset(Long.toString(serverCore), "-a", "-p", pid);
                        }
                        List<long[]> ours = new ArrayList<>();
                        List<long[]> theirs = new ArrayList<>();
                        for (int round = 0; round < ROUNDS; round++) {
                            ours.add(oneClient(daemon.socket()));
                            theirs.add(oneClient(nginxSocket));
                        }
                        report("1 client, " + placement, ours, theirs, body.length);
                    }
                }
            } finally {
                nginx.destroy();
                nginx.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static final int ROUNDS = 5;

    /** The calling thread pinned to a core (taskset on its Linux thread id) until closed. */
    private record Pinned(String tid, String before) implements AutoCloseable {

        static Pinned clientOn(int core) throws IOException, InterruptedException {
            String tid = Path.of("/proc/thread-self").toRealPath().getFileName().toString();
            String before = taskset(null, "-p", Long.parseLong(tid)).replaceAll(".*: ", "").strip();
            taskset(Integer.toString(core), "-p", Long.parseLong(tid));
            return new Pinned(tid, before);
        }

        @Override
        public void close() throws IOException {
            try {
                Process restore = new ProcessBuilder("taskset", "-p", before, tid).redirectErrorStream(true).start();
                restore.getInputStream().readAllBytes();
                restore.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code taskset [flags] [-c core] pid}: its output; {@code core} null only reads the mask. */
    private static String taskset(String core, String flag, long pid) throws IOException, InterruptedException {
        return taskset(core, null, flag, pid);
    }

    private static String taskset(String core, String all, String flag, long pid) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("taskset"));
        if (all != null) {
            command.add(all);
        }
        command.add(flag);
        if (core != null) {
            command.addAll(List.of("-c", core));
        }
        command.add(Long.toString(pid));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
        return out;
    }

    /** A process and its children (nginx's master and its workers). */
    private static List<Long> processesOf(long pid) {
        List<Long> all = new ArrayList<>(List.of(pid));
        ProcessHandle.of(pid).ifPresent(handle -> handle.descendants().forEach(child -> all.add(child.pid())));
        return all;
    }

    private static void report(String load, List<long[]> ours, List<long[]> theirs, int bytes) {
        for (int percentile : new int[] {50, 99}) {
            double[] ratios = new double[ours.size()];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = p(ours.get(i), percentile) / p(theirs.get(i), percentile);
            }
            Arrays.sort(ratios);
            BenchReport.row("api: GET /v1/gpus p" + percentile + ", " + load,
                    String.format("%.0f / %.0f", median(ours, percentile), median(theirs, percentile)),
                    "µs rigdeskd/nginx", String.format("ratio %.2f (rounds %.2f–%.2f); median of %d rounds of %,d "
                            + "requests; %d bytes of 9 GPUs, keep-alive, unix socket", ratios[ratios.length / 2],
                            ratios[0], ratios[ratios.length - 1], ours.size(), ours.get(0).length, bytes));
        }
    }

    private static double median(List<long[]> rounds, int percentile) {
        double[] values = rounds.stream().mapToDouble(times -> p(times, percentile)).sorted().toArray();
        return values[values.length / 2];
    }

    private static long[] oneClient(Path socket) throws IOException {
        try (UnixHttpClient client = new UnixHttpClient(socket)) {
            for (int i = 0; i < 5_000; i++) {
                get(client);
            }
            long[] times = new long[10_000];
            for (int i = 0; i < times.length; i++) {
                long start = System.nanoTime();
                get(client);
                times[i] = System.nanoTime() - start;
            }
            return times;
        }
    }

    private static void get(UnixHttpClient client) throws IOException {
        int status = client.send("GET", "/v1/gpus", null, null).status();
        if (status != 200) {
            throw new IOException("GET /v1/gpus answered " + status);
        }
    }

    private static long[] clients(Path socket, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        CountDownLatch ready = new CountDownLatch(count);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<long[]>> results = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            results.add(pool.submit(() -> {
                try (UnixHttpClient client = new UnixHttpClient(socket)) {
                    for (int i = 0; i < 300; i++) {
                        get(client);
                    }
                    ready.countDown();
                    go.await();
                    long[] times = new long[500];
                    for (int i = 0; i < times.length; i++) {
                        long start = System.nanoTime();
                        get(client);
                        times[i] = System.nanoTime() - start;
                    }
                    return times;
                }
            }));
        }
        ready.await();
        go.countDown();
        long[] all = new long[count * 500];
        int at = 0;
        for (Future<long[]> result : results) {
            long[] times = result.get();
            System.arraycopy(times, 0, all, at, times.length);
            at += times.length;
        }
        pool.shutdown();
        return all;
    }

    /** Percentile in µs. */
    static double p(long[] nanos, double percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(percentile / 100 * sorted.length) - 1)] / 1000.0;
    }

    @Test
    void sseFanOutToAHundredSubscribers() throws Exception {
        try (DaemonProcess daemon = labDaemon("--sample-interval", "1000").start()) {
            List<DaemonClient> clients = new ArrayList<>();
            List<Long> delays = new CopyOnWriteArrayList<>();
            List<org.rigdesk.api.client.EventSubscription> streams = new ArrayList<>();
            Instant measureFrom = Instant.now().plusSeconds(5);
            for (int i = 0; i < 100; i++) {
                DaemonClient client = daemon.client();
                clients.add(client);
                streams.add(client.events(new EventListener() {
                    @Override
                    public void onEvent(String type, String data) {
                        Instant now = Instant.now();
                        if ("sample".equals(type) && now.isAfter(measureFrom)) {
                            try {
                                GpuSample sample = Json.mapper().readValue(data, GpuSample.class);
                                delays.add(Duration.between(sample.at(), now).toNanos());
                            } catch (IOException e) {
                                // not a sample
                            }
                        }
                    }

                    @Override
                    public void onClosed(Throwable failure) {
                    }
                }));
            }
            Thread.sleep(5_000);
            long cpuBefore = cpuTicks(daemon.process().pid());
            long wallBefore = System.nanoTime();
            Thread.sleep(30_000);
            double cpu = (cpuTicks(daemon.process().pid()) - cpuBefore) / 100.0;
            double wall = (System.nanoTime() - wallBefore) / 1e9;
            streams.forEach(org.rigdesk.api.client.EventSubscription::cancel);
            for (DaemonClient client : clients) {
                client.close();
            }
            long[] all = delays.stream().mapToLong(Long::longValue).toArray();
            BenchReport.row("sse: 100 subscribers, 8 GPUs at 1 s, delay p50/p99",
                    String.format("%.1f / %.1f", p(all, 50) / 1000, p(all, 99) / 1000), "ms",
                    String.format("%,d samples delivered in %.0f s (from the sample's arrival in rigdeskd)",
                            all.length, wall));
            BenchReport.row("sse: daemon CPU while fanning out", String.format("%.1f", 100 * cpu / wall),
                    "% of one core", "whole JVM, 100 subscribers");
        }
    }

    @Test
    void footprint() throws Exception {
        long start = System.nanoTime();
        try (DaemonProcess daemon = labDaemon().start()) {
            double ready = (System.nanoTime() - start) / 1e6;
            Thread.sleep(30_000); // sampling 8 GPUs, no client
            BenchReport.row("footprint: rigdeskd start to ready socket", String.format("%.0f", ready), "ms",
                    "lab rig, shipped flags, includes the JVM start; measured to the first /v1/info answer");
            BenchReport.row("footprint: rigdeskd RSS idle", Long.toString(rssMiB(daemon.process().pid())), "MiB",
                    "after 30 s sampling 8 GPUs at 1 s with no client; flags: " + SHIPPED_FLAGS);
        }
    }

    static long rssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
            }
        }
        return -1;
    }

    /** utime + stime of a process, in clock ticks (100 per second on Linux). */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
