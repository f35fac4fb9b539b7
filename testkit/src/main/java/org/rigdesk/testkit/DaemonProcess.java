package org.rigdesk.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.Info;

/**
 * The real rigdeskd as a child JVM on a temp socket, started from the test classpath. Tests
 * talk to it over real HTTP, and can SIGTERM or SIGKILL it like systemd would.
 */
public final class DaemonProcess implements AutoCloseable {

    private final Path socket;
    private final Path stateDir;
    private final Path sysfsRoot;
    private final Path log;
    private final List<String> extraArgs;
    private final String rig;
    private final java.util.Map<String, String> env = new java.util.HashMap<>();
    private final List<String> prefix = new ArrayList<>();
    private Process process;

    public DaemonProcess(Path dir) {
        this(dir.resolve("rigdeskd.sock"), dir.resolve("state"), dir.resolve("sys"), List.of());
    }

    public DaemonProcess(Path socket, Path stateDir, Path sysfsRoot, List<String> extraArgs) {
        this(socket, stateDir, sysfsRoot, extraArgs, null);
    }

    private DaemonProcess(Path socket, Path stateDir, Path sysfsRoot, List<String> extraArgs, String rig) {
        this.rig = rig;
        this.socket = socket;
        this.stateDir = stateDir;
        this.sysfsRoot = sysfsRoot;
        this.log = stateDir.resolveSibling(stateDir.getFileName() + "-rigdeskd.log");
        this.extraArgs = List.copyOf(extraArgs);
    }

    public DaemonProcess withArgs(String... args) {
        List<String> all = new ArrayList<>(extraArgs);
        all.addAll(List.of(args));
        return new DaemonProcess(socket, stateDir, sysfsRoot, all, rig);
    }

    /** Runs the daemon in the network namespace at {@code path} ({@code nsenter --net}: /sys and cgroups stay the host's). */
    public DaemonProcess inNetworkNamespace(String path) {
        prefix.clear();
        prefix.addAll(List.of("nsenter", "--net=" + path, "--"));
        return this;
    }

    /** Sets an environment variable of the daemon (PATH, to put fake VMMs first). */
    public DaemonProcess withEnv(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Runs on a named demo rig ({@code --simulate}), built under the state dir. */
    public DaemonProcess simulate(String rigName) {
        return new DaemonProcess(socket, stateDir, stateDir.resolve("simulated").resolve(rigName).resolve("sys"),
                extraArgs, rigName);
    }

    /** Starts the daemon and waits until it answers /v1/info. */
    public DaemonProcess start() throws IOException, InterruptedException {
        if (rig == null) {
            Files.createDirectories(sysfsRoot);
        }
        process = launch();
        awaitReady(Duration.ofSeconds(30));
        return this;
    }

    /** Starts a daemon without waiting: for tests that expect it to refuse. */
    public Process launch() throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                "org.rigdesk.daemon.Rigdeskd",
                "--socket", socket.toString(),
                "--state-dir", stateDir.toString(),
                "--heartbeat-ms", "200",
                "--image", extraArgs.contains("--image") ? extraArgs.get(extraArgs.indexOf("--image") + 1)
                        : testImage().toString(),
                "--vm-accel", "tcg"));
        command.addAll(rig == null ? List.of("--sysfs-root", sysfsRoot.toString()) : List.of("--simulate", rig));
        if (!extraArgs.contains("--dns-upstream")) {
            // Job VMs' DNS goes nowhere but this machine's loopback unless a test gives its own resolver.
            command.addAll(List.of("--dns-upstream", "127.0.0.1"));
        }
        List<String> rest = new ArrayList<>(extraArgs);
        int image = rest.indexOf("--image");
        if (image >= 0) {
            rest.subList(image, image + 2).clear(); // given above, in place of the test image
        }
        command.addAll(rest);
        Files.createDirectories(log.getParent());
        openToVmmUsers(stateDir);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        return builder
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /**
     * A test's temp directory is closed to others (0700), and job VMMs run as uids of their own
     * that must pass through it to their job's files: as with /var/lib, others may pass, not list.
     */
    private static void openToVmmUsers(Path stateDir) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        for (Path dir = stateDir.toAbsolutePath().getParent(); dir != null && dir.startsWith(tmp) && !dir.equals(tmp);
             dir = dir.getParent()) {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
            permissions.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(dir, permissions);
        }
    }

    public Info awaitReady(Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        IOException last = null;
        try (DaemonClient client = new DaemonClient(socket)) {
            while (Instant.now().isBefore(deadline)) {
                if (process != null && !process.isAlive()) {
                    throw new IOException("rigdeskd exited with " + process.exitValue() + ":\n" + log());
                }
                try {
                    return client.info();
                } catch (IOException e) {
                    last = e;
                    Thread.sleep(50);
                }
            }
        }
        throw new IOException("rigdeskd did not answer within " + timeout + ":\n" + log(), last);
    }

    /** SIGTERM, as systemd stops it; returns the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    /** SIGKILL: the daemon gets no chance to clean up. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** The test VM image that ./dev test builds; tests that boot VMs require it. */
    public static Path testImage() {
        String configured = System.getProperty("rigdesk.testImage");
        return configured != null ? Path.of(configured) : Path.of("build/images/test").toAbsolutePath();
    }

    /** The runner flavour ./dev test builds (as root, with a stand-in runner tarball), or null. */
    public static Path runnerImage() {
        String configured = System.getProperty("rigdesk.runnerImage");
        Path image = configured != null ? Path.of(configured) : Path.of("build/images/runner").toAbsolutePath();
        return Files.isRegularFile(image.resolve("rootfs.ext4")) ? image : null;
    }

    public static Path requireTestImage() {
        Path image = testImage();
        if (!Files.isRegularFile(image.resolve("vmlinuz"))) {
            throw new IllegalStateException("the test VM image is missing at " + image
                    + ": run ./dev test, or packaging/image/build-test-image.sh " + image);
        }
        return image;
    }

    public DaemonClient client() {
        return new DaemonClient(socket);
    }

    public Path socket() {
        return socket;
    }

    public Path stateDir() {
        return stateDir;
    }

    public Path sysfsRoot() {
        return sysfsRoot;
    }

    public Process process() {
        return process;
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
