package org.rigdesk.daemon.runner;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.daemon.events.EventHub;
import org.rigdesk.daemon.github.GitHubApi;
import org.rigdesk.daemon.host.HostChecks;
import org.rigdesk.daemon.jobs.JobEngine;
import org.rigdesk.daemon.network.EgressPolicy;
import org.rigdesk.daemon.release.RunnerSupply;
import org.rigdesk.daemon.store.AuditStore;

/** Builds runner pools for this host: its job engine and GPUs, slot sizes shared out of its budget. */
public class HostPools implements RunnerService.PoolFactory {

    /**
     * How often the reconciler polls GitHub, how long it forgives an offline runner or a finished
     * job, and its clock (sped up only by fault tests that play long GitHub outages).
     */
    public record Timings(Duration poll, Duration offlineGrace, Duration jobGrace, Clock clock, Duration releaseCheck) {
    }

    /** How often the queue is read when a registration does not say. */
    public static final int DEFAULT_QUEUE_POLL_SECONDS = 15;

    private final JobEngine jobs;
    private final Supplier<List<Gpu>> gpus;
    private final Function<String, Integer> gpuMemoryMiB;
    private final AuditStore audit;
    private final EventHub events;
    private final Timings timings;
    private final String hostTag;
    private final Runnable wakeLending;
    private final RunnerSupply runner;

    public HostPools(JobEngine jobs, Supplier<List<Gpu>> gpus, Function<String, Integer> gpuMemoryMiB,
                     AuditStore audit, EventHub events, Timings timings, Runnable wakeLending, RunnerSupply runner) {
        this.wakeLending = wakeLending;
        this.runner = runner;
        this.jobs = jobs;
        this.gpus = gpus;
        this.gpuMemoryMiB = gpuMemoryMiB;
        this.audit = audit;
        this.events = events;
        this.timings = timings;
        this.hostTag = hostTag(hostname());
    }

    @Override
    public RunnerPool create(RunnerService.Stored registration, GitHubApi github, String ownedPrefix) {
        int slots = Math.max(1, registration.gpuSlots() + registration.cpuSlots());
        int cpus = registration.slotCpus() != null ? registration.slotCpus()
                : Math.max(1, Math.min(8, jobs.config().hostCpus() / slots));
        int memory = registration.slotMemoryMiB() != null ? registration.slotMemoryMiB()
                : Math.max(512, Math.min(16_384, jobs.config().hostMemoryMiB() / slots));
        RunnerPool.Config config = new RunnerPool.Config(registration.labels(), ownedPrefix,
                registration.runnerGroupId(), registration.gpuSlots(), registration.cpuSlots(), cpus, memory,
                timings.poll(), timings.offlineGrace(), timings.jobGrace(), timings.clock(),
                EgressPolicy.parse(registration.egress(), registration.egressAllow()),
                Duration.ofSeconds(registration.queuePollSeconds() == null ? DEFAULT_QUEUE_POLL_SECONDS
                        : registration.queuePollSeconds()),
                jobs.cachesAvailable() ? cacheName(github.scope().display()) : null,
                registration.writeEvents(), registration.gpuJobs());
        return new RunnerPool(config, github, jobs, gpus, gpuMemoryMiB, audit, events, registration.paused(),
                wakeLending, runner);
    }

    /**
     * The scope's cache: "github-octo.gpu-ci" for octo/gpu-ci, "github-octo" for an organisation.
     * One scope, one name, and never another's: GitHub's names are case-insensitive, an owner has
     * no '.', so the '.' for '/' cannot be confused (octo/gpu-ci and octo-gpu/ci once shared
     * "github-octo-gpu-ci"), and a name past the 64 characters a cache may have ends in a hash of
     * the whole scope rather than being cut.
     */
    static String cacheName(String scope) {
        String lower = scope.toLowerCase(Locale.ROOT);
        String name = "github-" + lower.replace('/', '.');
        if (name.length() <= 64 && lower.matches("[a-z0-9-]+(/[a-z0-9._-]+)?")) {
            return name;
        }
        // Too long, or a character a cache name cannot hold: cut, with a hash of the whole scope.
        String cut = name.replaceAll("[^a-z0-9._-]", "-");
        return cut.substring(0, Math.min(cut.length(), 55)) + "-" + hash(lower);
    }

    private static String hash(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean testImage() {
        return HostChecks.isTestImage(jobs.config().image());
    }

    @Override
    public int defaultGpuSlots() {
        return (int) gpus.get().stream().filter(g -> g.is(GpuMode.VFIO)).count();
    }

    @Override
    public String hostTag() {
        return hostTag;
    }

    /** The host name as a runner-name part: lower case a-z 0-9 and '-', at most 16 characters. */
    static String hostTag(String hostname) {
        String tag = (hostname == null ? "" : hostname).toLowerCase(Locale.ROOT).split("\\.")[0]
                .replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        if (tag.length() > 16) {
            tag = tag.substring(0, 16).replaceAll("-+$", "");
        }
        return tag.isEmpty() ? "host" : tag;
    }

    private static String hostname() {
        try {
            return Files.readString(Path.of("/etc/hostname")).strip();
        } catch (IOException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException unknown) {
                return "host";
            }
        }
    }
}
