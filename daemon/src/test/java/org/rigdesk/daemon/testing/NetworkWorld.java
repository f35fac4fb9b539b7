package org.rigdesk.daemon.testing;

import org.rigdesk.testkit.DaemonProcess;
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
 * The world a job's network is tested against: a whole rig made of network namespaces this test
 * creates (it sends nothing anywhere else), with the daemon inside the rig's ({@link #rig()},
 * entered with {@code nsenter --net}, which keeps the host's /sys and cgroups). The rig's default
 * route leads through a router ({@link #ROUTER}, TEST-NET-1, with a web page of its own) to an
 * "internet" at 203.0.113.2 and .3 (TEST-NET-3, a public range) with an HTTP server on port 80 and
 * a DNS server answering names under {@code .test}. Beside the default route the rig reaches a
 * LAN at 192.168.77.2 (HTTP on 8080 and 8081) and a campus LAN on a public range, 198.51.100.2
 * (HTTP on 8080). The rig's own services listen on its loopback, on its uplink address
 * {@link #HOST_VETH} and on every address. A link from this machine into the rig ({@link
 * #HOST_LINK}) lets a stand-in in the test's JVM (GitHub's) be reached by the daemon.
 */
public final class NetworkWorld implements AutoCloseable {

    public static final String INTERNET = "203.0.113.2";
    /** A second internet server (other.test), for allow-lists that name only the first. */
    public static final String INTERNET_OTHER = "203.0.113.3";
    /** The router of the rig's default route. */
    public static final String ROUTER = "192.0.2.1";
    /** The rig's own address on its uplink. */
    public static final String HOST_VETH = "192.0.2.2";
    public static final String LAN = "192.168.77.2";
    /** A LAN on a public range (a campus's, a company's). */
    public static final String CAMPUS = "198.51.100.2";
    /** This machine's end of its link into the rig. */
    public static final String HOST_LINK = "10.254.254.1";
    /** A public name whose answer points into a private network (DNS rebinding). */
    public static final String PRIVATE_NAME = "intranet.test";
    public static final String PRIVATE_ANSWER = "192.168.1.10";
    public static final int HOST_LOOPBACK_PORT = 18080;
    public static final int HOST_VETH_PORT = 18081;
    public static final int HOST_ANY_PORT = 18082;

    private final String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    private final String rig = "rdw-rig-" + tag;
    private final String router = "rdw-gw-" + tag;
    private final String internet = "rdw-inet-" + tag;
    private final String lan = "rdw-lan-" + tag;
    private final String campus = "rdw-campus-" + tag;
    private final String hostEnd = "rdwh" + tag;
    private final List<Process> servers = new ArrayList<>();
    private final Path dir;
    private final Path www;

    public NetworkWorld(Path dir) throws Exception {
        this.dir = Files.createDirectories(dir.resolve("world"));
        this.www = Files.createDirectories(this.dir.resolve("www"));
        try {
            build();
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    private void build() throws Exception {
        Files.writeString(www.resolve("hello.txt"), "hello from the internet\n");
        Files.write(www.resolve("big.bin"), new byte[8 << 20]);
        Path lanWww = Files.createDirectories(dir.resolve("lan"));
        Files.writeString(lanWww.resolve("lan.txt"), "hello from the LAN\n");
        Path hostWww = Files.createDirectories(dir.resolve("host"));
        Files.writeString(hostWww.resolve("host.txt"), "hello from the host\n");
        Path dns = dir.resolve("tiny-dns.py");
        try (InputStream in = getClass().getResourceAsStream("/fakes/tiny-dns.py")) {
            Files.copy(in, dns, StandardCopyOption.REPLACE_EXISTING);
        }
        for (String namespace : List.of(rig, router, internet, lan, campus)) {
            host("ip", "netns", "add", namespace);
            host("ip", "-n", namespace, "link", "set", "lo", "up");
        }
        link(rig, "uplink", HOST_VETH + "/24", router, "rigside", ROUTER + "/24");
        link(router, "inetside", "203.0.113.254/24", internet, "eth0", INTERNET + "/24");
        host("ip", "-n", internet, "address", "add", INTERNET_OTHER + "/24", "dev", "eth0");
        link(rig, "lan", "192.168.77.1/24", lan, "eth0", LAN + "/24");
        link(rig, "campus", "198.51.100.1/24", campus, "eth0", CAMPUS + "/24");
        host("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", "hostlink", "netns", rig);
        host("ip", "address", "add", HOST_LINK + "/30", "dev", hostEnd);
        host("ip", "link", "set", hostEnd, "up");
        host("ip", "-n", rig, "address", "add", "10.254.254.2/30", "dev", "hostlink");
        host("ip", "-n", rig, "link", "set", "hostlink", "up");
        host("ip", "-n", rig, "route", "add", "default", "via", ROUTER);
        host("ip", "-n", internet, "route", "add", "default", "via", "203.0.113.254");
        host("ip", "netns", "exec", router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        serve(internet, "python3", "-m", "http.server", "80", "--bind", "0.0.0.0", "--directory", www.toString());
        serve(internet, "python3", dns.toString(), INTERNET, INTERNET, "other.test=" + INTERNET_OTHER,
                PRIVATE_NAME + "=" + PRIVATE_ANSWER);
        serve(router, "python3", "-m", "http.server", "80", "--bind", ROUTER, "--directory", www.toString());
        for (int port : List.of(8080, 8081)) {
            serve(lan, "python3", "-m", "http.server", Integer.toString(port), "--bind", LAN, "--directory",
                    lanWww.toString());
        }
        serve(campus, "python3", "-m", "http.server", "8080", "--bind", CAMPUS, "--directory", lanWww.toString());
        serve(rig, "python3", "-m", "http.server", Integer.toString(HOST_LOOPBACK_PORT), "--bind", "127.0.0.1",
                "--directory", hostWww.toString());
        serve(rig, "python3", "-m", "http.server", Integer.toString(HOST_VETH_PORT), "--bind", HOST_VETH,
                "--directory", hostWww.toString());
        serve(rig, "python3", "-m", "http.server", Integer.toString(HOST_ANY_PORT), "--bind", "0.0.0.0",
                "--directory", hostWww.toString());
        Thread.sleep(1500); // the servers bind
    }

    /** The rig's namespace, for {@code nsenter --net=} (and {@link DaemonProcess#inNetworkNamespace}). */
    public String rig() {
        return "/run/netns/" + rig;
    }

    /** Runs a command in the rig's namespace; its output, or an AssertionError with it. */
    public String inRig(String... argv) throws Exception {
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=" + rig()));
        command.addAll(List.of(argv));
        return host(command.toArray(String[]::new));
    }

    /** Puts a file of {@code bytes} zero bytes on the internet server, at /NAME. */
    public void publish(String name, long bytes) throws IOException {
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(www.resolve(name).toFile(), "rw")) {
            file.setLength(bytes);
        }
    }

    private static void link(String a, String aEnd, String aAddress, String b, String bEnd, String bAddress)
            throws Exception {
        host("ip", "-n", a, "link", "add", aEnd, "type", "veth", "peer", "name", bEnd, "netns", b);
        host("ip", "-n", a, "address", "add", aAddress, "dev", aEnd);
        host("ip", "-n", b, "address", "add", bAddress, "dev", bEnd);
        host("ip", "-n", a, "link", "set", aEnd, "up");
        host("ip", "-n", b, "link", "set", bEnd, "up");
    }

    private void serve(String namespace, String... argv) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(List.of(argv));
        servers.add(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("servers.log").toFile())).start());
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
        new ProcessBuilder("ip", "link", "delete", hostEnd).start().waitFor();
        for (String namespace : List.of(rig, router, internet, lan, campus)) {
            new ProcessBuilder("ip", "netns", "delete", namespace).start().waitFor();
        }
    }
}
