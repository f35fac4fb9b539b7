package org.rigdesk.daemon.runner;

import java.net.URI;
import java.security.PrivateKey;
import java.util.List;
import java.util.regex.Pattern;
import org.rigdesk.api.wire.GitHubApp;
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.daemon.github.AppKeys;
import org.rigdesk.daemon.github.HostTrust;
import org.rigdesk.daemon.network.EgressPolicy;

/**
 * What an owner's {@code POST /v1/runner} may say, checked before GitHub is called or anything is
 * stored: each check throws {@link IllegalArgumentException} with the field and its rule (a 400).
 */
final class RegistrationChecks {

    private static final Pattern LABEL = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");
    private static final Pattern PREFIX = Pattern.compile("^[a-z0-9][a-z0-9-]{0,31}$");
    private static final Pattern APP_ID = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");

    private RegistrationChecks() {
    }

    /** Tokens are opaque (GitHub's newer ones are longer than 255 characters): only what a header can carry. */
    static String token(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("token (or app) is required: " + RunnerService.TOKEN_REMEDY);
        }
        String trimmed = token.strip();
        if (trimmed.length() > 8192 || !trimmed.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException("token must be printable ASCII without spaces, at most 8192 characters");
        }
        return trimmed;
    }

    static PrivateKey app(GitHubApp app) {
        if (app.appId() == null || !APP_ID.matcher(app.appId()).matches()) {
            throw new IllegalArgumentException("app.appId is the App's id (123456) or client id (Iv23li…), 1-64 of "
                    + "A-Z a-z 0-9 . _ -");
        }
        if (app.installationId() != null && app.installationId() < 1) {
            throw new IllegalArgumentException("app.installationId must be a positive id (or left out to find it)");
        }
        return AppKeys.parse(app.privateKeyPem());
    }

    /** The registration as it will be stored, or the first thing wrong with it. */
    static RunnerService.Stored registration(RunnerRegistration request, int defaultGpuSlots) {
        List<String> labels = request.labels() == null ? List.of() : request.labels();
        if (labels.size() > 20) {
            throw new IllegalArgumentException("at most 20 labels");
        }
        for (String label : labels) {
            if (label == null || !LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("labels are 1-64 of A-Z a-z 0-9 . _ -, got '" + label + "'");
            }
        }
        String prefix = request.namePrefix() == null ? "rigdesk" : request.namePrefix();
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("namePrefix is 1-32 of a-z 0-9 -, starting with a letter or digit");
        }
        long group = request.runnerGroupId() == null ? 1 : request.runnerGroupId();
        if (group < 1) {
            throw new IllegalArgumentException("runnerGroupId must be a positive id (1 is the default group)");
        }
        int gpus = request.gpuSlots() == null ? defaultGpuSlots : request.gpuSlots();
        int cpus = request.cpuSlots() == null ? 1 : request.cpuSlots();
        if (gpus < 0 || gpus > 16 || cpus < 0 || cpus > 16) {
            throw new IllegalArgumentException("gpuSlots and cpuSlots must be between 0 and 16");
        }
        if (request.slotCpus() != null && (request.slotCpus() < 1 || request.slotCpus() > 256)) {
            throw new IllegalArgumentException("slotCpus must be between 1 and 256");
        }
        if (request.slotMemoryMiB() != null && (request.slotMemoryMiB() < 256 || request.slotMemoryMiB() > 4 << 20)) {
            throw new IllegalArgumentException("slotMemoryMiB must be between 256 and 4194304");
        }
        if (request.queuePollSeconds() != null && (request.queuePollSeconds() < 2 || request.queuePollSeconds() > 3600)) {
            throw new IllegalArgumentException("queuePollSeconds must be between 2 and 3600");
        }
        List<String> events = request.cacheWriteEvents();
        if (events != null && !CacheWriteRule.valid(events)) {
            throw new IllegalArgumentException("cacheWriteEvents are at most 20 GitHub event names (push, schedule, "
                    + "workflow_dispatch, …), each on the default branch, or EVENT:BRANCH or EVENT:* for other branches");
        }
        EgressPolicy egress = EgressPolicy.parse(request.egress(), request.egressAllow());
        String jobs = request.gpuSlotJobs() == null ? RunnerRegistration.GPU_JOBS : request.gpuSlotJobs();
        if (!List.of(RunnerRegistration.GPU_JOBS, RunnerRegistration.GPU_JOBS_STRICT, RunnerRegistration.ANY_JOBS)
                .contains(jobs)) {
            throw new IllegalArgumentException("gpuSlotJobs is gpu (GPU slots take only jobs asking for a GPU), "
                    + "gpu-strict (and not a bare runs-on: self-hosted) or any");
        }
        if (request.runnerGroup() != null && (request.runnerGroup().isBlank() || request.runnerGroup().length() > 100)) {
            throw new IllegalArgumentException("runnerGroup is a runner group's name or id, at most 100 characters");
        }
        if (request.caCertPem() != null) {
            if (request.caCertPem().length() > 64 * 1024) {
                throw new IllegalArgumentException("caCertPem is at most 64 KiB");
            }
            HostTrust.parse(request.caCertPem());
        }
        String source = request.runnerReleaseSource();
        if (source != null) {
            URI uri;
            try {
                uri = URI.create(source.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("runnerReleaseSource must be an http(s) URL");
            }
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("runnerReleaseSource must be an http(s) URL (an API base serving "
                        + "/repos/actions/runner/releases/latest)");
            }
            source = source.strip().replaceAll("/+$", "");
        }
        GitHubApp app = request.app();
        return new RunnerService.Stored(request.url().strip(), request.apiUrl(), List.copyOf(labels), prefix, group, gpus, cpus,
                request.slotCpus(), request.slotMemoryMiB(), false, egress.mode().wire(), egress.entries(),
                request.queuePollSeconds(), events == null ? null : List.copyOf(events),
                app == null ? null : app.appId(), app == null ? null : app.installationId(), null, jobs,
                request.caCertPem(), source);
    }
}
