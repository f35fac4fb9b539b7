package org.rigdesk.app.rigs;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuSample;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.RunnerStatus;

/**
 * One rig as the last look at it found it: reached or not (with ssh's or the daemon's reason),
 * its GPUs with their latest readings, the jobs running on it and its runner.
 */
public record RigView(String name, String endpoint, Reach reach, String reason, List<Gpu> gpus,
                      Map<String, GpuSample> samples, List<Job> running, RunnerStatus runner, Instant seen) {

    public enum Reach {
        /** Not looked at yet. */
        CONNECTING,
        REACHABLE,
        /** The last look failed; {@code reason} says why, the rest is what was seen before. */
        UNREACHABLE
    }

    public RigView {
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
        samples = samples == null ? Map.of() : Map.copyOf(samples);
        running = running == null ? List.of() : List.copyOf(running);
    }

    static RigView first(String name, String endpoint) {
        return new RigView(name, endpoint, Reach.CONNECTING, null, List.of(), Map.of(), List.of(), null, null);
    }

    RigView unreachable(String why) {
        return new RigView(name, endpoint, Reach.UNREACHABLE, why, gpus, samples, running, runner, seen);
    }

    /** Something on the rig wants the owner's look: a card that failed its health check. */
    public boolean needsALook() {
        return reach == Reach.UNREACHABLE || gpus.stream().anyMatch(g -> g.health() != null && !g.health().ok());
    }
}
