package org.rigdesk.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server (Debian's openssh-server) on 127.0.0.1 for one test: a throw-away host key
 * and user key, the user's key authorised, nothing but stream-local forwarding allowed. The test's
 * ssh client is {@link #sshProgram()}: ssh with this test's config (its key, a known_hosts that
 * holds this server's key, strict checking), as {@code RIGDESK_SSH} runs it.
 */
public final class TestSshd implements AutoCloseable {

    public static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Path dir;
    private final int port;
    private Process sshd;

    public TestSshd(Path dir) throws IOException, InterruptedException {
        this.dir = Files.createDirectories(dir);
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        }
        keygen(dir.resolve("host_key"));
        keygen(dir.resolve("user_key"));
        Path authorized = dir.resolve("authorized_keys");
        Files.copy(dir.resolve("user_key.pub"), authorized);
        Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_key"),
                "PidFile " + dir.resolve("sshd.pid"), "AuthorizedKeysFile " + authorized, "StrictModes no",
                "UsePAM no", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes", "PermitRootLogin prohibit-password", "AllowStreamLocalForwarding yes",
                "X11Forwarding no", "PrintMotd no", "") );
        trustHostKey();
        Files.writeString(dir.resolve("ssh_config"), String.join("\n", "Host *",
                "  IdentityFile " + dir.resolve("user_key"), "  IdentitiesOnly yes",
                "  UserKnownHostsFile " + dir.resolve("known_hosts"), "  GlobalKnownHostsFile /dev/null",
                "  StrictHostKeyChecking yes", "  UpdateHostKeys no", ""));
        Path wrapper = dir.resolve("ssh");
        Files.writeString(wrapper, "#!/bin/sh\nexec ssh -F " + dir.resolve("ssh_config") + " \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    public int port() {
        return port;
    }

    /** The user the test's key logs in as: the one running the test (sshd as root lets any in; else only itself). */
    public String user() {
        return System.getProperty("user.name");
    }

    /** The ssh the client side runs: {@code ssh -F} this test's config. */
    public Path sshProgram() {
        return dir.resolve("ssh");
    }

    /** What sshd logged (it runs with -e): for a failing test's message. */
    public String log() {
        try {
            return Files.readString(dir.resolve("sshd.log"));
        } catch (IOException e) {
            return "(no sshd log: " + e.getMessage() + ")";
        }
    }

    public TestSshd start() throws IOException, InterruptedException {
        Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
        sshd = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sshd.log").toFile()))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return this;
            } catch (IOException notYet) {
                if (!sshd.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("sshd did not start: " + Files.readString(dir.resolve("sshd.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    /** The rig drops off: the listener and every session it forked (an open tunnel's too) end. */
    public void stop() throws InterruptedException {
        if (sshd != null) {
            sshd.descendants().forEach(ProcessHandle::destroyForcibly);
            sshd.destroy();
            if (!sshd.waitFor(5, TimeUnit.SECONDS)) {
                sshd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            sshd = null;
        }
    }

    /** A new host key on the server, the old one still in the client's known_hosts: what ssh calls a changed host. */
    public void changeHostKey() throws IOException, InterruptedException {
        boolean running = sshd != null;
        stop();
        Files.delete(dir.resolve("host_key"));
        Files.delete(dir.resolve("host_key.pub"));
        keygen(dir.resolve("host_key"));
        if (running) {
            start();
        }
    }

    /** The client trusts the server's current key again. */
    public void trustHostKey() throws IOException {
        String[] key = Files.readString(dir.resolve("host_key.pub")).strip().split(" ");
        Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + key[0] + " " + key[1] + "\n");
    }

    private static void keygen(Path key) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "rigdesk-test",
                "-f", key.toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("ssh-keygen failed: " + out);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
