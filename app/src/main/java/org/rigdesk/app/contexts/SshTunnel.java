package org.rigdesk.app.contexts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A remote rig's daemon socket brought here by the owner's own OpenSSH client: {@code ssh -N -L
 * LOCAL.sock:REMOTE.sock}, stream-local forwarding, so nothing listens on TCP at either end and
 * ssh's keys, agent, {@code ~/.ssh/config} and known_hosts decide as they do for any ssh. On the
 * rig, sshd connects to the socket as the ssh user: the daemon's access rules and audit see that
 * user. The local socket lives in a 0700 directory of the user's; the tunnel ends with {@link #close}.
 */
public final class SshTunnel implements AutoCloseable {

    /** ssh's own words when it gives up: at most this much of its standard error is kept. */
    private static final int ERROR_LIMIT = 4096;

    private final Process ssh;
    private final Path local;
    private final StringBuilder errors = new StringBuilder();

    private SshTunnel(Process ssh, Path local) {
        this.ssh = ssh;
        this.local = local;
    }

    /**
     * Opens the tunnel and waits until the local socket is there (ssh made it after the rig took
     * the key), or fails with ssh's own reason (host key changed, permission denied, no route).
     * {@code program}: the ssh to run ({@code RIGDESK_SSH}, as {@code GIT_SSH}; default "ssh").
     */
    public static SshTunnel open(SshEndpoint endpoint, Path local, String program, Duration timeout)
            throws SshException {
        try {
            Path dir = local.getParent();
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Files.deleteIfExists(local);
        } catch (IOException e) {
            throw new SshException("cannot make the tunnel's socket " + local + ": " + e.getMessage());
        }
        Process process;
        try {
            process = new ProcessBuilder(command(endpoint, local, program))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new SshException("cannot run " + program + ": " + e.getMessage()
                    + " (install OpenSSH's client: apt install openssh-client)");
        }
        SshTunnel tunnel = new SshTunnel(process, local);
        Thread reader = tunnel.collect(process.getErrorStream());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!Files.exists(local)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    boolean late = process.isAlive();
                    tunnel.close();
                    process.waitFor(2, TimeUnit.SECONDS);
                    reader.join(1000); // ssh's last words
                    throw new SshException(late ? "ssh did not connect within " + timeout.toSeconds() + " s"
                            + tunnel.said() : "ssh " + endpoint.sshHost() + " failed" + tunnel.said());
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            tunnel.close();
            Thread.currentThread().interrupt();
            throw new SshException("interrupted while ssh connected");
        }
        return tunnel;
    }

    static List<String> command(SshEndpoint endpoint, Path local, String program) {
        List<String> command = new ArrayList<>(List.of(program, "-N", "-T",
                "-o", "ExitOnForwardFailure=yes", "-o", "StreamLocalBindUnlink=yes",
                // No prompt can be answered here: a key (or the agent) and a known host key, or ssh's refusal.
                "-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
                "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=2",
                "-L", local + ":" + endpoint.socket()));
        if (endpoint.port() != null) {
            command.addAll(List.of("-p", Integer.toString(endpoint.port())));
        }
        if (endpoint.user() != null) {
            command.addAll(List.of("-l", endpoint.user()));
        }
        command.addAll(List.of("--", endpoint.sshHost()));
        return command;
    }

    public Path socket() {
        return local;
    }

    public boolean alive() {
        return ssh.isAlive();
    }

    /** What ssh said on its standard error, as it said it. */
    public String sshErrors() {
        synchronized (errors) {
            return errors.toString().strip();
        }
    }

    private String said() {
        String words = sshErrors();
        return words.isEmpty() ? "" : ":\n" + asSaid(words);
    }

    /** ssh's lines as it wrote them, indented under the line that says what failed. */
    static String asSaid(String words) {
        return words.replace("\r", "").lines().map(line -> "  " + line).collect(
                java.util.stream.Collectors.joining("\n"));
    }

    private Thread collect(InputStream stderr) {
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[1024];
            try (stderr) {
                for (int n; (n = stderr.read(buffer)) > 0; ) {
                    synchronized (errors) {
                        if (errors.length() < ERROR_LIMIT) {
                            errors.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                        }
                    }
                }
            } catch (IOException ignored) {
                // ssh ended
            }
        }, "ssh-stderr");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    @Override
    public void close() {
        ssh.destroy();
        try {
            if (!ssh.waitFor(3, TimeUnit.SECONDS)) {
                ssh.destroyForcibly();
            }
        } catch (InterruptedException e) {
            ssh.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(local);
        } catch (IOException ignored) {
            // a stale socket is unlinked by the next tunnel (StreamLocalBindUnlink)
        }
    }

    /** ssh could not bring the rig's socket here; the message carries ssh's own reason. */
    public static final class SshException extends IOException {
        public SshException(String message) {
            super(message);
        }
    }
}
