package org.rigdesk.daemon.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.rigdesk.api.wire.Info;
import org.rigdesk.daemon.DaemonConfig;
import org.rigdesk.daemon.Version;

/** Answers {@code GET /v1/info}. */
public class InfoService {

    private final DaemonConfig config;
    private final HostChecks checks;
    private final Instant startedAt = Instant.now();
    private final int uid = currentUid();

    public InfoService(DaemonConfig config, HostChecks checks) {
        this.config = config;
        this.checks = checks;
    }

    public Info info() {
        org.rigdesk.daemon.image.JobImage image = checks.jobImage();
        return new Info(Version.get(), ProcessHandle.current().pid(), startedAt, uid,
                config.stateDir().toString(), config.socket().toString(), config.sysfsRoot().toString(),
                config.simulated(), checks.run(), image == null ? null : image.wire());
    }

    private static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
