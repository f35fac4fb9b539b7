package org.rigdesk.daemon;

import java.nio.file.Path;
import java.time.Duration;

/** Everything rigdeskd is told at start; validated by {@link Rigdeskd} before it gets here. */
public record DaemonConfig(
        Path socket,
        Path stateDir,
        Path sysfsRoot,
        String socketGroup,
        Duration heartbeat) {

    public static final Path REAL_SYSFS = Path.of("/sys");

    /** True when running on a fake tree: the UI and /v1/info must say so. */
    public boolean simulated() {
        return !sysfsRoot.toAbsolutePath().normalize().equals(REAL_SYSFS);
    }

    public Path database() {
        return stateDir.resolve("rigdesk.db");
    }
}
