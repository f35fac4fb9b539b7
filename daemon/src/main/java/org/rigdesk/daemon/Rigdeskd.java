package org.rigdesk.daemon;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.rigdesk.api.client.SocketLocator;
import org.rigdesk.daemon.logging.Logs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code rigdeskd} command line. */
@Command(name = "rigdeskd", mixinStandardHelpOptions = true, versionProvider = Rigdeskd.VersionProvider.class,
        description = "Rigdesk's privileged daemon: GPUs, VFIO passthrough, telemetry, microVM jobs and the "
                + "GitHub runner, served as HTTP+JSON on a unix socket.")
public class Rigdeskd implements Callable<Integer> {

    @Option(names = "--socket", paramLabel = "PATH",
            description = "Unix socket to serve on (default: /run/rigdesk/rigdeskd.sock as root, "
                    + "$XDG_RUNTIME_DIR/rigdesk/rigdeskd.sock otherwise).")
    Path socket;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/var/lib/rigdesk",
            description = "Where the database, logs and job disks live (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--sysfs-root", paramLabel = "DIR", defaultValue = "/sys",
            description = "sysfs to read and write (default: ${DEFAULT-VALUE}); any other directory is a fake tree "
                    + "and the daemon runs simulated.")
    Path sysfsRoot;

    @Option(names = "--socket-group", paramLabel = "NAME",
            description = "Group that owns the socket (mode 0660); its members can use Rigdesk.")
    String socketGroup;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
            description = "error, warn, info, debug or trace (default: ${DEFAULT-VALUE}).")
    String logLevel;

    @Option(names = "--heartbeat-ms", paramLabel = "MS", defaultValue = "15000", hidden = true,
            description = "SSE heartbeat interval.")
    long heartbeatMs;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Rigdeskd()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        try {
            Logs.configure(logLevel);
        } catch (IllegalArgumentException e) {
            System.err.println("rigdeskd: " + e.getMessage());
            return 2;
        }
        if (heartbeatMs < 10 || heartbeatMs > 600_000) {
            System.err.println("rigdeskd: --heartbeat-ms must be between 10 and 600000");
            return 2;
        }
        Path socketPath = socket != null ? socket
                : isRoot() ? SocketLocator.SYSTEM_SOCKET : SocketLocator.userSocket(System.getenv());
        DaemonConfig config = new DaemonConfig(socketPath.toAbsolutePath(), stateDir.toAbsolutePath(),
                sysfsRoot.toAbsolutePath(), socketGroup, Duration.ofMillis(heartbeatMs));
        Daemon daemon = new Daemon(config);
        try {
            daemon.start();
        } catch (StartupException e) {
            Logger.getLogger("rigdeskd").log(Level.FINE, "start failed", e);
            System.err.println("rigdeskd: " + e.getMessage());
            if (e.remedy() != null) {
                System.err.println("rigdeskd: what to do: " + e.remedy());
            }
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"rigdeskd " + Version.get()};
        }
    }
}
