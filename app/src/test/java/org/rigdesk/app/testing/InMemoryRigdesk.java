package org.rigdesk.app.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rigdesk.api.client.DaemonException;
import org.rigdesk.api.client.EventListener;
import org.rigdesk.api.client.EventSubscription;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.AuditEntry;
import org.rigdesk.api.wire.ComputeProcess;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.Info;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobNetwork;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.api.wire.Json;
import org.rigdesk.api.wire.Problem;
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.api.wire.RunnerTestJob;
import org.rigdesk.api.wire.Settings;
import org.rigdesk.api.wire.TelemetryHistory;
import org.rigdesk.api.wire.TelemetryStatus;

/**
 * The daemon's contract held in memory, for view-model tests with no daemon and no FX thread:
 * it answers from what a test put in, records every call, and refuses with a problem document
 * where a test asks it to (as the daemon would).
 */
public final class InMemoryRigdesk implements RigdeskApi {

    public final Map<String, Gpu> gpus = new LinkedHashMap<>();
    public final Map<Long, Job> jobs = new LinkedHashMap<>();
    public final Map<Long, String> logs = new HashMap<>();
    /** What {@link #readLog} throws, when set. */
    public volatile IOException failReadLog;
    public final Map<String, TelemetryHistory> history = new HashMap<>();
    public final List<String> calls = new ArrayList<>();
    public TelemetryStatus telemetry = new TelemetryStatus(TelemetryStatus.OK, null, 1000, List.of());
    public RunnerStatus runner = RunnerStatus.unregistered();
    public Settings settings = Settings.DEFAULTS;
    /** What {@link #checkGpu} finds; null: the card is healthy. */
    public Gpu.Health checkResult;
    /** When set, the next changing call is refused with it (then it is cleared). */
    public Problem refuseNext;
    private long nextJob = 1;

    /** A record of the wire type from JSON, as the daemon would send it. */
    public static <T> T wire(String json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static Gpu gpu(String bdf, String name, GpuMode mode, String usedBy) {
        return new Gpu(bdf, "10de", "2503", "NVIDIA Corporation", name, "030000",
                mode == GpuMode.VFIO ? "vfio-pci" : "nvidia", mode.wire(), 12, false, 0, null, List.of(),
                new Gpu.Passthrough(true, List.of()), usedBy);
    }

    public static Job job(long id, String state, List<String> gpus) {
        return new Job(id, Job.KIND_LOCAL, "job " + id, state, gpus, false, "qemu", "tcg", 1, 256, 3600,
                java.time.Instant.parse("2026-12-01T10:00:00Z"), null, null, null, 0, null, null, null, null, null,
                null);
    }

    public InMemoryRigdesk with(Gpu gpu) {
        gpus.put(gpu.bdf(), gpu);
        return this;
    }

    public InMemoryRigdesk with(Job job) {
        jobs.put(job.id(), job);
        nextJob = Math.max(nextJob, job.id() + 1);
        return this;
    }

    /** A change to a card: noted, refused when asked to be, and a 404 for a card it does not have. */
    private Gpu changing(String bdf, String call) throws DaemonException {
        calls.add(call);
        refuseIfAsked();
        Gpu now = gpus.get(bdf);
        if (now == null) {
            throw new DaemonException(Problem.of(404, "not-found", "Not found", "no GPU at " + bdf, null));
        }
        return now;
    }

    private void refuseIfAsked() throws DaemonException {
        Problem problem = refuseNext;
        refuseNext = null;
        if (problem != null) {
            throw new DaemonException(problem);
        }
    }

    @Override
    public Path socket() {
        return Path.of("/in-memory");
    }

    @Override
    public Info info() {
        calls.add("info");
        return wire("{\"version\":\"test\",\"simulated\":true,\"checks\":[]}", Info.class);
    }

    @Override
    public List<Gpu> gpus() {
        calls.add("gpus");
        return List.copyOf(gpus.values());
    }

    @Override
    public Gpu setGpuMode(String bdf, GpuMode mode) throws IOException {
        Gpu now = changing(bdf, "mode " + bdf + " " + mode.wire());
        Gpu moved = gpu(bdf, now.name(), mode, now.usedBy());
        gpus.put(bdf, moved);
        return moved;
    }

    @Override
    public Gpu setGpuLending(String bdf, org.rigdesk.api.wire.LendingRequest request) throws IOException {
        Gpu now = changing(bdf, "lend " + bdf + " " + request.policy());
        String state = switch (request.policy()) {
            case "ci" -> "lent";
            case "on-demand" -> "standby";
            default -> "desk";
        };
        Gpu lent = gpu(bdf, now.name(), "ci".equals(request.policy()) ? GpuMode.VFIO : GpuMode.HOST, now.usedBy())
                .withLending(lending(request.policy(), state, state));
        gpus.put(bdf, lent);
        return lent;
    }

    /** The caches this fake knows; clearing one removes it. */
    public final List<org.rigdesk.api.wire.CacheInfo> caches = new java.util.ArrayList<>();

    @Override
    public List<org.rigdesk.api.wire.CacheInfo> caches() {
        calls.add("caches");
        return List.copyOf(caches);
    }

    @Override
    public void clearCache(String name) throws IOException {
        calls.add("clear cache " + name);
        refuseIfAsked();
        if (!caches.removeIf(cache -> cache.name().equals(name))) {
            throw new DaemonException(Problem.of(404, "not-found", "Not found",
                    "no cache " + name + "; rigdesk cache ls lists them", null));
        }
    }

    @Override
    public Gpu checkGpu(String bdf, boolean reset) throws IOException {
        Gpu now = changing(bdf, "check " + bdf + (reset ? " reset" : ""));
        Gpu.Health health = checkResult != null ? checkResult
                : new Gpu.Health(true, java.time.Instant.now().toString(), List.of());
        Gpu checked = now.withHealth(health);
        gpus.put(bdf, checked);
        return checked;
    }

    @Override
    public Gpu reclaimGpu(String bdf, boolean cancelJob) throws IOException {
        Gpu now = changing(bdf, "reclaim " + bdf + (cancelJob ? " cancel" : ""));
        Gpu home = (now.usedBy() == null ? gpu(bdf, now.name(), GpuMode.HOST, null) : now)
                .withLending(lending("desk", now.usedBy() == null ? "desk" : "returning",
                        now.usedBy() == null ? "On your desk" : "Coming back to your desk: waiting for job " + now.usedBy()));
        gpus.put(bdf, home);
        return home;
    }

    public static org.rigdesk.api.wire.GpuLending lending(String policy, String state, String detail) {
        return new org.rigdesk.api.wire.GpuLending(policy, List.of(), 300, "schedule".equals(policy) ? "desk" : policy,
                state, detail, null, null, null, null);
    }

    @Override
    public TelemetryStatus telemetry() {
        calls.add("telemetry");
        return telemetry;
    }

    @Override
    public TelemetryHistory telemetryHistory(String bdf, int seconds) {
        calls.add("history " + bdf + " " + seconds);
        return history.getOrDefault(bdf, new TelemetryHistory(bdf, seconds, "1s", List.of()));
    }

    @Override
    public List<ComputeProcess> computeProcesses() {
        calls.add("processes");
        return List.of();
    }

    @Override
    public String nvidiaSmi() {
        calls.add("nvidia-smi");
        return "";
    }

    @Override
    public List<Job> jobs(String state, int limit) {
        calls.add("jobs " + state + " " + limit);
        return jobs.values().stream().filter(job -> state == null || state.equals(job.state()))
                .sorted((a, b) -> Long.compare(b.id(), a.id())).limit(limit).toList();
    }

    @Override
    public Job job(long id) throws IOException {
        calls.add("job " + id);
        return known(id);
    }

    private Job known(long id) throws DaemonException {
        Job job = jobs.get(id);
        if (job == null) {
            throw new DaemonException(Problem.of(404, "not-found", "Not found", "no job " + id, null));
        }
        return job;
    }

    /** The last registration sent (token and all: a test's own). */
    public RunnerRegistration lastRegistration;

    /** Egress logs the test gives jobs; a job without one has no network. */
    public final Map<Long, JobNetwork> networks = new HashMap<>();

    @Override
    public JobNetwork jobNetwork(long id) throws IOException {
        calls.add("network " + id);
        known(id);
        return networks.getOrDefault(id, JobNetwork.NONE);
    }

    @Override
    public Job submitJob(JobRequest request) throws IOException {
        calls.add("submit " + request.script() + " gpus=" + request.gpus());
        refuseIfAsked();
        Job job = job(nextJob++, JobState.QUEUED.wire(), List.of());
        jobs.put(job.id(), job);
        return job;
    }

    @Override
    public Job cancelJob(long id) throws IOException {
        calls.add("cancel " + id);
        refuseIfAsked();
        Job job = known(id);
        Job cancelled = job(id, JobState.CANCELLED.wire(), job.gpus());
        jobs.put(id, cancelled);
        return cancelled;
    }

    @Override
    public InputStream openLog(long id, long offset, boolean follow) {
        calls.add("log " + id + " offset=" + offset + " follow=" + follow);
        byte[] text = logs.getOrDefault(id, "").getBytes(StandardCharsets.UTF_8);
        return new ByteArrayInputStream(text, (int) Math.min(offset, text.length), text.length);
    }

    @Override
    public byte[] readLog(long id, long offset, int limit) throws IOException {
        calls.add("read log " + id + " offset=" + offset + " limit=" + limit);
        if (failReadLog != null) {
            throw failReadLog;
        }
        byte[] text = logs.getOrDefault(id, "").getBytes(StandardCharsets.UTF_8);
        int from = (int) Math.min(offset, text.length);
        return java.util.Arrays.copyOfRange(text, from, (int) Math.min(text.length, from + (long) limit));
    }

    @Override
    public RunnerStatus runner() {
        calls.add("runner");
        return runner;
    }

    @Override
    public RunnerStatus registerRunner(RunnerRegistration registration) throws IOException {
        calls.add("register " + registration.url() + " labels=" + registration.labels());
        lastRegistration = registration;
        refuseIfAsked();
        runner = wire("{\"registered\":true,\"scope\":\"repository\",\"url\":\"" + registration.url()
                + "\",\"labels\":[],\"runners\":[],\"slots\":[]}", RunnerStatus.class);
        return runner;
    }

    @Override
    public RunnerStatus setRunnerPaused(boolean paused) throws IOException {
        calls.add(paused ? "pause" : "resume");
        refuseIfAsked();
        return runner;
    }

    @Override
    public RunnerStatus useRunnerTarball(java.nio.file.Path tarball, String version, String sha256) throws IOException {
        calls.add("use-tarball " + tarball.getFileName());
        refuseIfAsked();
        return runner;
    }

    @Override
    public RunnerStatus removeRunner() throws IOException {
        calls.add("remove");
        refuseIfAsked();
        runner = RunnerStatus.unregistered();
        return runner;
    }

    @Override
    public void runnerTestJob(RunnerTestJob job) {
        calls.add("test-job");
    }

    @Override
    public Settings settings() {
        calls.add("settings");
        return settings;
    }

    @Override
    public Settings updateSettings(Settings wanted) throws IOException {
        calls.add("update settings");
        refuseIfAsked();
        settings = wanted;
        return settings;
    }

    @Override
    public List<AuditEntry> audit(int limit) {
        calls.add("audit " + limit);
        return List.of();
    }

    @Override
    public EventSubscription events(EventListener listener) {
        calls.add("events");
        return () -> calls.add("events cancelled");
    }

    @Override
    public void close() {
    }
}
