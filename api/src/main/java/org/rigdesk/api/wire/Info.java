package org.rigdesk.api.wire;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/info}: who the daemon is, whether this host can do passthrough, and the job VM
 * image it boots ({@code image}: null when the daemon runs without one, as its tests' fakes do).
 */
public record Info(
        String version,
        long pid,
        Instant startedAt,
        int uid,
        String stateDir,
        String socket,
        String sysfsRoot,
        boolean simulated,
        List<HostCheck> checks,
        ImageInfo image) {

    public Info {
        checks = checks == null ? List.of() : List.copyOf(checks);
    }
}
