package org.rigdesk.daemon.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The world a job VM's network is tested against, made of network namespaces this test creates
 * (it sends nothing anywhere else): an "internet" at 203.0.113.2 and .3 (TEST-NET-3, a public range
 * for Rigdesk) with an HTTP server on port 80 and a DNS server answering names under {@code .test}; a
 * "LAN" host at 192.168.77.2 with HTTP on 8080 and 8081; and services of the host itself — on
 * 127.0.0.1, on its veth address 203.0.113.1, and on every address (0.0.0.0).
 */
public final class NetworkWorld implements AutoCloseable {

    public static final String INTERNET = "203.0.113.2";
    /** A second internet server (other.test), for allow-lists that name only the first. */
    public static final String INTERNET_OTHER = "203.0.113.3";
    public static final String HOST_VETH = "203.0.113.1";
    public static final String LAN = "192.168.77.2";
    public static final int HOST_LOOPBACK_PORT = 18080;
    public static final int HOST_VETH_PORT = 18081;
    public static final int HOST_ANY_PORT = 18082;

    private final String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    private final String internet = "rdw-inet-" + tag;
    private final String lan = "rdw-lan-" + tag;
    private final List<Process> servers = new ArrayList<>();
    private final Path dir;
    private final Path www;

    public NetworkWorld(Path dir) throws Exception {
        this.dir = Files.createDirectories(dir.resolve("world"));
        this.www = Files.createDirectories(this.dir.resolve("www"));
        Files.writeString(www.resolve("hello.txt"), "hello from the internet\n");
        Files.write(www.resolve("big.bin"), new byte[8 << 20]);
        Path lanWww = Files.createDirectories(this.dir.resolve("lan"));
        Files.writeString(lanWww.resolve("lan.txt"), "hello from the LAN\n");
        Path hostWww = Files.createDirectories(this.dir.resolve("host"));
        Files.writeString(hostWww.resolve("host.txt"), "hello from the host\n");
        Path dns = this.dir.resolve("tiny-dns.py");
        try (InputStream in = getClass().getResourceAsStream("/fakes/tiny-dns.py")) {
            Files.copy(in, dns, StandardCopyOption.REPLACE_EXISTING);
        }
        host("ip", "netns", "add", internet);
        host("ip", "netns", "add", lan);
        link(internet, "rdwi" + tag, HOST_VETH + "/24", INTERNET + "/24");
        host("ip", "-n", internet, "address", "add", INTERNET_OTHER + "/24", "dev", "eth0");
        link(lan, "rdwl" + tag, "192.168.77.1/24", LAN + "/24");
        serve(List.of("ip", "netns", "exec", internet, "python3", "-m", "http.server", "80", "--bind", "0.0.0.0",
                "--directory", www.toString()));
        serve(List.of("ip", "netns", "exec", internet, "python3", dns.toString(), INTERNET, INTERNET,
                "other.test=" + INTERNET_OTHER));
        for (int port : List.of(8080, 8081)) {
            serve(List.of("ip", "netns", "exec", lan, "python3", "-m", "http.server", Integer.toString(port), "--bind",
                    LAN, "--directory", lanWww.toString()));
        }
        serve(List.of("python3", "-m", "http.server", Integer.toString(HOST_LOOPBACK_PORT), "--bind", "127.0.0.1",
                "--directory", hostWww.toString()));
        serve(List.of("python3", "-m", "http.server", Integer.toString(HOST_VETH_PORT), "--bind", HOST_VETH,
                "--directory", hostWww.toString()));
        serve(List.of("python3", "-m", "http.server", Integer.toString(HOST_ANY_PORT), "--bind", "0.0.0.0",
                "--directory", hostWww.toString()));
        Thread.sleep(1500); // the servers bind
    }

    /** Puts a file of {@code bytes} zero bytes on the internet server, at /NAME. */
    public void publish(String name, long bytes) throws IOException {
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(www.resolve(name).toFile(), "rw")) {
            file.setLength(bytes);
        }
    }

    private void link(String namespace, String hostEnd, String hostAddress, String nsAddress) throws Exception {
        host("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", "eth0", "netns", namespace);
        host("ip", "address", "add", hostAddress, "dev", hostEnd);
        host("ip", "link", "set", hostEnd, "up");
        host("ip", "-n", namespace, "address", "add", nsAddress, "dev", "eth0");
        host("ip", "-n", namespace, "link", "set", "eth0", "up");
        host("ip", "-n", namespace, "link", "set", "lo", "up");
    }

    private void serve(List<String> argv) throws IOException {
        servers.add(new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(dir.resolve("servers.log").toFile()).start());
    }

    /** Runs a command on the host; its output, or an AssertionError with it. */
    public static String host(String... argv) throws Exception {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", argv) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        for (Process server : servers) {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly().waitFor();
        }
        for (String namespace : List.of(internet, lan)) {
            new ProcessBuilder("ip", "netns", "delete", namespace).start().waitFor();
        }
    }
}
