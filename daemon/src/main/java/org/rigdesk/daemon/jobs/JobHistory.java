package org.rigdesk.daemon.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Settings;
import org.rigdesk.daemon.host.FileTrees;
import org.rigdesk.daemon.sandbox.VmmSandbox;
import org.rigdesk.daemon.store.AuditStore;

/**
 * Jobs past and left behind: at start, what the previous daemon left unfinished is marked lost and
 * its VMs and disks go; at stop, what still runs is recorded lost; old jobs are pruned to the
 * retention settings; an idle runner VM (which never held a job) leaves no history at all.
 */
final class JobHistory {

    private static final Logger LOG = Logger.getLogger(JobHistory.class.getName());

    private final JobsConfig config;
    private final JobStore store;
    private final AuditStore audit;
    private final Supplier<Settings> settings;
    private final VmmSandbox sandbox;

    JobHistory(JobsConfig config, JobStore store, AuditStore audit, Supplier<Settings> settings, VmmSandbox sandbox) {
        this.config = config;
        this.store = store;
        this.audit = audit;
        this.settings = settings;
        this.sandbox = sandbox;
    }

    /**
     * Every job the previous daemon left unfinished becomes lost; its VM (found by the pid file in
     * its directory) is stopped and its disks removed. VMs of jobs the database no longer knows are
     * stopped too.
     */
    void recover() throws IOException {
        Files.createDirectories(config.jobsDir());
        // Others may pass through (not list): each job's VMM runs as a uid of its own and reaches its files.
        Files.setPosixFilePermissions(config.jobsDir(), PosixFilePermissions.fromString("rwx--x--x"));
        List<Job> unfinished;
        try {
            unfinished = store.unfinished();
        } catch (SQLException e) {
            throw new IOException("cannot read unfinished jobs: " + e.getMessage(), e);
        }
        Map<ProcessHandle, String> commandLines = JobLeftovers.commandLines();
        try (Stream<Path> dirs = Files.list(config.jobsDir())) {
            for (Path dir : dirs.sorted(Comparator.naturalOrder()).toList()) {
                JobLeftovers.stopLeftovers(dir, commandLines);
            }
        }
        sandbox.cgroups().removeLeftovers();
        sandbox.reclaim(config.jobsDir());
        for (Job job : unfinished) {
            if (Jobs.isIdleRunner(job)) {
                forget(job.id());
                continue;
            }
            try {
                store.update(lost(job, "; its VM was stopped and its disks removed"));
            } catch (SQLException e) {
                throw new IOException("cannot mark job " + job.id() + " lost: " + e.getMessage(), e);
            }
            LOG.warning("job " + job.id() + " was " + job.state() + " when rigdeskd stopped: marked lost");
            audit.record("rigdeskd", "job.recover", "job " + job.id(), "lost", "was " + job.state());
        }
        prune();
    }

    /** The daemon stops under a job whose VM it just stopped: the job is lost (an idle runner VM is forgotten). */
    void stoppedUnder(Job job) {
        try {
            if (Jobs.isIdleRunner(job)) {
                forget(job.id());
            } else {
                store.update(lost(job, ""));
            }
        } catch (IOException | SQLException e) {
            LOG.warning("cannot record job " + job.id() + " as lost: " + e.getMessage());
        }
    }

    /** Old jobs beyond the retention settings go, with their files. */
    void prune() {
        Settings current = settings.get();
        try {
            for (long id : store.prune(current.jobRetentionCount(),
                    Instant.now().minusSeconds(current.jobRetentionDays() * 86_400L))) {
                FileTrees.delete(config.jobsDir().resolve(Long.toString(id)));
            }
        } catch (SQLException | IOException e) {
            LOG.warning("pruning old jobs failed: " + e.getMessage());
        }
    }

    private Job lost(Job job, String more) {
        return Jobs.finished(job, JobState.LOST, null, "rigdeskd stopped while the job was " + job.state() + more,
                size(JobRun.logFile(config.jobsDir(), job.id())));
    }

    private void forget(long id) throws IOException {
        try {
            store.delete(id);
        } catch (SQLException e) {
            throw new IOException("cannot forget idle runner VM " + id + ": " + e.getMessage(), e);
        }
        FileTrees.delete(config.jobsDir().resolve(Long.toString(id)));
    }

    static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
