package org.rigdesk.daemon.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.rigdesk.api.wire.Info;

/** Answers {@code GET /v1/info}. */
public class InfoService {

    /** Where this daemon runs, as the command line set it. */
    public record Where(String version, Path stateDir, Path socket, Path sysfsRoot, boolean simulated) {
    }

    private final Where where;
    private final HostChecks checks;
    private final Instant startedAt = Instant.now();
    private final int uid = currentUid();

    public InfoService(Where where, HostChecks checks) {
        this.where = where;
        this.checks = checks;
    }

    public Info info() {
        org.rigdesk.daemon.image.JobImage image = checks.jobImage();
        return new Info(where.version(), ProcessHandle.current().pid(), startedAt, uid,
                where.stateDir().toString(), where.socket().toString(), where.sysfsRoot().toString(),
                where.simulated(), checks.run(), image == null ? null : image.wire());
    }

    private static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
