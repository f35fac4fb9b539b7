package org.rigdesk.api.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import org.rigdesk.api.wire.AuditEntry;
import org.rigdesk.api.wire.ComputeProcess;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.Info;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobNetwork;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.api.wire.LendingRequest;
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.api.wire.RunnerTestJob;
import org.rigdesk.api.wire.Settings;
import org.rigdesk.api.wire.TelemetryHistory;
import org.rigdesk.api.wire.TelemetryStatus;

/**
 * Everything the window and the CLI ask of rigdeskd, typed: callers hold no paths, no HTTP and no
 * JSON types. {@link DaemonClient} speaks it over the socket; tests may implement it in memory.
 * Every call throws {@link DaemonException} when the daemon refuses (its problem document) and
 * {@link DaemonUnreachableException} when nobody listens.
 */
public interface RigdeskApi extends Closeable {

    /** Where the daemon is expected to listen (for messages). */
    Path socket();

    Info info() throws IOException;

    List<Gpu> gpus() throws IOException;

    /** Moves a card (with its IOMMU group) to vfio-pci or back to its host driver. */
    Gpu setGpuMode(String bdf, GpuMode mode) throws IOException;

    /** Whom the card is lent to: ci, desk, on-demand or a schedule ({@code PUT /v1/gpus/{bdf}/lending}). */
    Gpu setGpuLending(String bdf, LendingRequest request) throws IOException;

    /** The persistent caches jobs mount at /cache ({@code GET /v1/caches}). */
    java.util.List<org.rigdesk.api.wire.CacheInfo> caches() throws IOException;

    /** Deletes a cache ({@code DELETE /v1/caches/{name}}); refused (409) while a job uses it. */
    void clearCache(String name) throws IOException;

    /**
     * Checks a card's health now, after a function reset when {@code reset} (vfio-pci only); a card
     * that passes leaves its quarantine ({@code POST /v1/gpus/{bdf}/check}).
     */
    Gpu checkGpu(String bdf, boolean reset) throws IOException;

    /** "Use on my desk": the card's policy becomes desk; a job on it finishes first unless {@code cancelJob}. */
    Gpu reclaimGpu(String bdf, boolean cancelJob) throws IOException;

    TelemetryStatus telemetry() throws IOException;

    TelemetryHistory telemetryHistory(String bdf, int seconds) throws IOException;

    List<ComputeProcess> computeProcesses() throws IOException;

    /** The host's plain {@code nvidia-smi} table. */
    String nvidiaSmi() throws IOException;

    /** Newest first; {@code state} null for every state. */
    List<Job> jobs(String state, int limit) throws IOException;

    Job job(long id) throws IOException;

    /** The job's network and egress log ({@code enabled} false for a job without one). */
    JobNetwork jobNetwork(long id) throws IOException;

    Job submitJob(JobRequest request) throws IOException;

    Job cancelJob(long id) throws IOException;

    /** A job's log from {@code offset}; with {@code follow}, open until the job ends. Closing it (from any thread) ends it. */
    InputStream openLog(long id, long offset, boolean follow) throws IOException;

    /**
     * At most {@code limit} bytes of a job's log from {@code offset}, fewer at its end: how a view
     * that keeps only part of a long log reads back the rest.
     */
    byte[] readLog(long id, long offset, int limit) throws IOException;

    /** Copies a job's log to {@code sink} as it arrives; returns the bytes copied. */
    default long copyLog(long id, long offset, boolean follow, OutputStream sink) throws IOException {
        return Streams.copy(openLog(id, offset, follow), sink);
    }

    RunnerStatus runner() throws IOException;

    RunnerStatus registerRunner(RunnerRegistration registration) throws IOException;

    /** Pauses (drains) or resumes the runner pool. */
    RunnerStatus setRunnerPaused(boolean paused) throws IOException;

    RunnerStatus removeRunner() throws IOException;

    /**
     * {@code POST /v1/runner/release}: hands the daemon an actions runner tarball for hosts that
     * cannot download one; {@code version} null to take it from the file's name, {@code sha256}
     * null when there is none to check it against (it is then kept as unverified).
     */
    RunnerStatus useRunnerTarball(java.nio.file.Path tarball, String version, String sha256) throws IOException;

    /** A test job through the runner path (test image only). */
    void runnerTestJob(RunnerTestJob job) throws IOException;

    Settings settings() throws IOException;

    Settings updateSettings(Settings wanted) throws IOException;

    /** The newest audit entries, newest first. */
    List<AuditEntry> audit(int limit) throws IOException;

    /** Subscribes to the daemon's events; the listener hears on a client thread. */
    EventSubscription events(EventListener listener);

    /** Closing never throws. */
    @Override
    void close();
}
