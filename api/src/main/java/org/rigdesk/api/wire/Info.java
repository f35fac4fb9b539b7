package org.rigdesk.api.wire;

import java.time.Instant;
import java.util.List;

/** {@code GET /v1/info}: who the daemon is and whether this host can do passthrough. */
public record Info(
        String version,
        long pid,
        Instant startedAt,
        int uid,
        String stateDir,
        String socket,
        String sysfsRoot,
        boolean simulated,
        List<HostCheck> checks) {

    public Info {
        checks = checks == null ? List.of() : List.copyOf(checks);
    }
}
