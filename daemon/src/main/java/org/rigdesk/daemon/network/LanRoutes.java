package org.rigdesk.daemon.network;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.rigdesk.api.wire.Json;
import org.rigdesk.daemon.host.CommandRunner;

/**
 * "The LAN" as the host routes it: every IPv4 network in its routing tables other than a default
 * route — the default route's own link (its router included), a second interface's network, a
 * VPN's routes, Docker's bridges — whatever their addresses (a campus or company LAN on a public
 * range is a LAN all the same). Job links and routes wider than /8 (a VPN's 0.0.0.0/1 halves are
 * a default route) are not. Read at start and again whenever a route changes ({@code ip monitor
 * route}), so a VPN that comes up is covered within moments; the fixed private ranges stay besides.
 */
final class LanRoutes implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LanRoutes.class.getName());
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Routes changing in a burst (an interface coming up) are read once, this long after the first. */
    private static final long SETTLE_MS = 150;

    /** Where the networks go, each time they are read. */
    interface Sink {
        void lan(List<Ipv4.Block> blocks) throws IOException;
    }

    private final String ip;
    private final Ipv4.Block jobSubnet;
    private final Sink sink;
    private volatile boolean closed;
    private volatile Process monitor;
    private Thread thread;
    private volatile List<Ipv4.Block> current = List.of();

    LanRoutes(String ip, Ipv4.Block jobSubnet, Sink sink) {
        this.ip = ip;
        this.jobSubnet = jobSubnet;
        this.sink = sink;
    }

    /** Reads the routes now, and follows them from here on. */
    void start() throws IOException {
        refresh();
        thread = new Thread(this::follow, "lan-routes");
        thread.setDaemon(true);
        thread.start();
    }

    List<Ipv4.Block> current() {
        return current;
    }

    void refresh() throws IOException {
        List<Ipv4.Block> blocks = parse(CommandRunner.run(List.of(ip, "-j", "-4", "route", "show", "table", "all"),
                TIMEOUT), jobSubnet);
        if (!blocks.equals(current)) {
            sink.lan(blocks);
            current = blocks;
            LOG.info("job networks: the LAN, as the host routes it: " + blocks);
        }
    }

    /** The networks of {@code ip -j route} output that are the LAN (see the class). */
    static List<Ipv4.Block> parse(String json, Ipv4.Block jobSubnet) throws IOException {
        List<Ipv4.Block> blocks = new ArrayList<>();
        for (JsonNode route : Json.mapper().readTree(json)) {
            String type = route.path("type").asText("unicast");
            String dst = route.path("dst").asText("");
            String dev = route.path("dev").asText("");
            if (!type.equals("unicast") || dst.equals("default") || dev.startsWith("rd-")) {
                continue;
            }
            Optional<Ipv4.Block> block = Ipv4.Block.parse(dst);
            if (block.isEmpty() || block.get().prefix() < 8 || jobSubnet.contains(block.get())
                    || blocks.contains(block.get())) {
                continue;
            }
            blocks.add(block.get());
        }
        return List.copyOf(blocks);
    }

    private void follow() {
        while (!closed) {
            try {
                monitor = new ProcessBuilder(ip, "-4", "monitor", "route").redirectErrorStream(true).start();
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(monitor.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    while (!closed && lines.readLine() != null) {
                        Thread.sleep(SETTLE_MS);
                        while (lines.ready()) {
                            lines.readLine();
                        }
                        refresh();
                    }
                }
            } catch (IOException e) {
                if (!closed) {
                    LOG.warning("cannot follow the host's routes: " + e.getMessage());
                }
            } catch (InterruptedException e) {
                return;
            }
            sleepQuietly(5000); // ip monitor ended (it should not): start it again
        }
    }

    private void sleepQuietly(long millis) {
        try {
            if (!closed) {
                Thread.sleep(millis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        Process process = monitor;
        if (process != null) {
            process.destroy();
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
