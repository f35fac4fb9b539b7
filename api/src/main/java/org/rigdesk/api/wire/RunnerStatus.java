package org.rigdesk.api.wire;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/runner}. Never holds the token: only its last four characters. {@code pool}
 * sums up the ephemeral runner slots in a line; {@code slots} gives each; {@code runners} are
 * the GitHub runners of this host (names starting with {@code ownedPrefix}) as GitHub last listed
 * them; {@code github} says whether GitHub answers or the pool is backing off; {@code egress} and
 * {@code egressAllow} what the runner VMs may reach (open, allow-list or audit, and the list);
 * {@code queued} the jobs waiting on GitHub for a runner with labels like ours, as the last
 * poll of the queue (every {@code queuePollSeconds}) saw them; {@code cache} the scope's cache (null
 * where caches are not available; {@code github-ORG.REPOSITORY} for an organisation, whose jobs each
 * get their repository's) and {@code cacheWriteEvents} the events whose runs may change it.
 * {@code signIn}: {@code token} or {@code app} (then {@code appId} and {@code installationId});
 * {@code runnerGroup} the group's name where known; {@code gpuSlotJobs} which jobs GPU slots take
 * ({@link RunnerRegistration#GPU_JOBS} …) and {@code reach} which {@code runs-on} reaches which
 * slot, in words; {@code runnerRelease} the actions runner the VMs get.
 */
public record RunnerStatus(
        boolean registered,
        String scope,
        String url,
        String apiUrl,
        List<String> labels,
        String namePrefix,
        long runnerGroupId,
        int gpuSlots,
        int cpuSlots,
        String tokenHint,
        List<Runner> runners,
        Instant lastApiContact,
        Integer rateLimitRemaining,
        String pool,
        boolean paused,
        String ownedPrefix,
        int slotCpus,
        int slotMemoryMiB,
        List<Slot> slots,
        String github,
        String egress,
        List<String> egressAllow,
        int queuePollSeconds,
        List<QueuedJob> queued,
        String cache,
        List<String> cacheWriteEvents,
        String signIn,
        String appId,
        Long installationId,
        String runnerGroup,
        String gpuSlotJobs,
        List<String> reach,
        RunnerRelease runnerRelease) {

    public RunnerStatus {
        reach = reach == null ? List.of() : List.copyOf(reach);
        labels = labels == null ? List.of() : List.copyOf(labels);
        egressAllow = egressAllow == null ? List.of() : List.copyOf(egressAllow);
        runners = runners == null ? List.of() : List.copyOf(runners);
        slots = slots == null ? List.of() : List.copyOf(slots);
        queued = queued == null ? List.of() : List.copyOf(queued);
        cacheWriteEvents = cacheWriteEvents == null ? List.of() : List.copyOf(cacheWriteEvents);
    }

    /** The registration's state, derived from what is on the wire (not itself sent). */
    public RunnerState state() {
        return !registered ? RunnerState.NOT_REGISTERED : paused ? RunnerState.PAUSED
                : github != null ? RunnerState.CANNOT_REACH_GITHUB : RunnerState.READY;
    }

    public static RunnerStatus unregistered() {
        return unregistered(null);
    }

    /** Not registered, with the runner the daemon keeps all the same. */
    public static RunnerStatus unregistered(RunnerRelease release) {
        return new RunnerStatus(false, null, null, null, List.of(), null, 0, 0, 0, null, List.of(), null, null,
                "not registered", false, null, 0, 0, List.of(), null, null, List.of(), 0, List.of(), null, List.of(),
                null, null, null, null, null, List.of(), release);
    }

    /**
     * One slot: kind gpu or cpu; state starting (asking GitHub for a runner), booting, idle (the
     * runner listens), busy (jobId runs a GitHub job), stopping, paused, waiting (retry after an
     * error; detail says why) or error.
     */
    public record Slot(String key, String kind, String gpu, String state, String runnerName, Long runnerId,
                       Long jobId, String detail, Instant since, List<String> labels) {

        public static final String STARTING = "starting";
        public static final String BOOTING = "booting";
        public static final String IDLE = "idle";
        public static final String BUSY = "busy";
        public static final String STOPPING = "stopping";
        public static final String PAUSED = "paused";
        public static final String WAITING = "waiting";

        public Slot {
            labels = labels == null ? List.of() : List.copyOf(labels);
        }
    }

    /**
     * A job queued on GitHub that one of our runners could take: its run and job, the labels it
     * asks for, the on-demand GPU lent for it ({@code gpu}, or null) and what it waits for.
     */
    public record QueuedJob(String repository, long runId, long jobId, String name, List<String> labels, String gpu,
                            String waitingFor) {
        public QueuedJob {
            labels = labels == null ? List.of() : List.copyOf(labels);
        }
    }

    /** A runner of ours as GitHub lists it. */
    public record Runner(long id, String name, String status, boolean busy, List<String> labels) {
    }
}
