package org.rigdesk.api.wire;

import java.util.List;

/**
 * {@code PUT /v1/runner}: register this workstation for a GitHub organisation or repository.
 * {@code slotCpus} and {@code slotMemoryMiB} size each slot's VM (defaults share the host).
 * The token is checked against GitHub at once, stored 0600 under the state directory, and never
 * returned. {@code egress}: what the runner VMs may reach — {@code open} (the internet; the default),
 * {@code allow-list} (only {@code egressAllow}: host names, {@code *.}wildcards, IPv4 blocks) or
 * {@code audit} (the internet, logging what the list would refuse). {@code queuePollSeconds}: how
 * often GitHub's queue is read for jobs an on-demand GPU could take (default 15, 2 to 3600);
 * {@code cacheWriteEvents}: the events whose runs, on the repository itself (never a fork) and its
 * default branch, may change the scope's cache (default push, schedule, workflow_dispatch; [] makes
 * it read-only); {@code EVENT:BRANCH} lets that branch's runs change it too, {@code EVENT:*} any
 * branch's.
 * Sign-in: a {@code token}, or a GitHub {@code app} (then no token). {@code runnerGroup}: a runner
 * group's name or id (an organisation's; resolved to {@code runner_group_id}), beside
 * {@code runnerGroupId}. {@code gpuSlotJobs}: which jobs GPU slots take — {@code gpu} (the default:
 * only jobs that ask for {@code gpu} or a {@code gpu-…} label; the slot carries {@code self-hosted},
 * its GPU labels and the owner's), {@code gpu-strict} (the same without {@code self-hosted}, so a
 * bare {@code runs-on: self-hosted} never reaches a GPU) or {@code any} (GPU slots carry the CPU
 * slots' labels too). {@code caCertPem}: a CA certificate trusted for a GHES API host only;
 * {@code runnerReleaseSource}: where a GHES host reads actions/runner's releases (an API base URL
 * serving {@code /repos/actions/runner/releases/latest}).
 */
public record RunnerRegistration(
        String url,
        String token,
        List<String> labels,
        String namePrefix,
        Long runnerGroupId,
        String apiUrl,
        Integer gpuSlots,
        Integer cpuSlots,
        Integer slotCpus,
        Integer slotMemoryMiB,
        String egress,
        List<String> egressAllow,
        Integer queuePollSeconds,
        List<String> cacheWriteEvents,
        GitHubApp app,
        String runnerGroup,
        String gpuSlotJobs,
        String caCertPem,
        String runnerReleaseSource) {

    public static final String GPU_JOBS = "gpu";
    public static final String GPU_JOBS_STRICT = "gpu-strict";
    public static final String ANY_JOBS = "any";

    /** A registration with a token, the default group and label rule. */
    public RunnerRegistration(String url, String token, List<String> labels, String namePrefix, Long runnerGroupId,
                              String apiUrl, Integer gpuSlots, Integer cpuSlots, Integer slotCpus,
                              Integer slotMemoryMiB, String egress, List<String> egressAllow, Integer queuePollSeconds,
                              List<String> cacheWriteEvents) {
        this(url, token, labels, namePrefix, runnerGroupId, apiUrl, gpuSlots, cpuSlots, slotCpus, slotMemoryMiB, egress,
                egressAllow, queuePollSeconds, cacheWriteEvents, null, null, null, null, null);
    }

    /** The events whose runs may change the scope's cache, when a registration does not say. */
    public static final List<String> DEFAULT_CACHE_WRITE_EVENTS = List.of("push", "schedule", "workflow_dispatch");

    /** A registration with the default cache rule. */
    public RunnerRegistration(String url, String token, List<String> labels, String namePrefix, Long runnerGroupId,
                              String apiUrl, Integer gpuSlots, Integer cpuSlots, Integer slotCpus,
                              Integer slotMemoryMiB, String egress, List<String> egressAllow, Integer queuePollSeconds) {
        this(url, token, labels, namePrefix, runnerGroupId, apiUrl, gpuSlots, cpuSlots, slotCpus, slotMemoryMiB, egress,
                egressAllow, queuePollSeconds, null);
    }

    /** A registration whose VMs reach the internet (egress open). */
    public RunnerRegistration(String url, String token, List<String> labels, String namePrefix, Long runnerGroupId,
                              String apiUrl, Integer gpuSlots, Integer cpuSlots, Integer slotCpus,
                              Integer slotMemoryMiB) {
        this(url, token, labels, namePrefix, runnerGroupId, apiUrl, gpuSlots, cpuSlots, slotCpus, slotMemoryMiB, null,
                null, null, null);
    }

    /** A registration polling GitHub's queue at the default period. */
    public RunnerRegistration(String url, String token, List<String> labels, String namePrefix, Long runnerGroupId,
                              String apiUrl, Integer gpuSlots, Integer cpuSlots, Integer slotCpus,
                              Integer slotMemoryMiB, String egress, List<String> egressAllow) {
        this(url, token, labels, namePrefix, runnerGroupId, apiUrl, gpuSlots, cpuSlots, slotCpus, slotMemoryMiB, egress,
                egressAllow, null, null);
    }

    @Override
    public String toString() {
        return "RunnerRegistration[url=" + url + ", token=<secret>, labels=" + labels + ", namePrefix=" + namePrefix
                + ", runnerGroupId=" + runnerGroupId + ", apiUrl=" + apiUrl + ", gpuSlots=" + gpuSlots
                + ", cpuSlots=" + cpuSlots + ", slotCpus=" + slotCpus + ", slotMemoryMiB=" + slotMemoryMiB
                + ", egress=" + egress + ", egressAllow=" + egressAllow + ", queuePollSeconds=" + queuePollSeconds + ", cacheWriteEvents=" + cacheWriteEvents + ", app=" + app
                + ", runnerGroup=" + runnerGroup + ", gpuSlotJobs=" + gpuSlotJobs + ", caCertPem="
                + (caCertPem == null ? null : "<pem>") + ", runnerReleaseSource=" + runnerReleaseSource + "]";
    }
}
