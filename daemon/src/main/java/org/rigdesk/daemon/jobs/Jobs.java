package org.rigdesk.daemon.jobs;

import java.time.Instant;
import java.util.List;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobState;

/** Copies of an immutable {@link Job} with one thing changed. */
final class Jobs {

    private Jobs() {
    }

    static Job withId(Job j, long id) {
        return new Job(id, j.kind(), j.name(), j.state(), j.gpus(), j.gpusSimulated(), j.vmm(), j.accel(), j.cpus(),
                j.memoryMiB(), j.timeoutSeconds(), j.createdAt(), j.startedAt(), j.finishedAt(), j.exitCode(),
                j.logBytes(), j.error(), j.repository(), j.workflow(), j.jobName(), j.runId(), j.runAttempt());
    }

    static Job withState(Job j, JobState state) {
        return new Job(j.id(), j.kind(), j.name(), state.wire(), j.gpus(), j.gpusSimulated(), j.vmm(), j.accel(), j.cpus(),
                j.memoryMiB(), j.timeoutSeconds(), j.createdAt(),
                state == JobState.BOOTING && j.startedAt() == null ? Instant.now() : j.startedAt(), j.finishedAt(),
                j.exitCode(), j.logBytes(), j.error(), j.repository(), j.workflow(), j.jobName(), j.runId(),
                j.runAttempt());
    }

    static Job withGpus(Job j, List<String> gpus, boolean simulated, String vmm) {
        return new Job(j.id(), j.kind(), j.name(), j.state(), gpus, simulated, vmm, j.accel(), j.cpus(),
                j.memoryMiB(), j.timeoutSeconds(), j.createdAt(), j.startedAt(), j.finishedAt(), j.exitCode(),
                j.logBytes(), j.error(), j.repository(), j.workflow(), j.jobName(), j.runId(), j.runAttempt());
    }

    static Job finished(Job j, JobState state, Integer exitCode, String error, long logBytes) {
        return new Job(j.id(), j.kind(), j.name(), state.wire(), j.gpus(), j.gpusSimulated(), j.vmm(), j.accel(), j.cpus(),
                j.memoryMiB(), j.timeoutSeconds(), j.createdAt(), j.startedAt(), Instant.now(), exitCode, logBytes,
                error, j.repository(), j.workflow(), j.jobName(), j.runId(), j.runAttempt());
    }

    static Job withLogBytes(Job j, long logBytes) {
        return new Job(j.id(), j.kind(), j.name(), j.state(), j.gpus(), j.gpusSimulated(), j.vmm(), j.accel(), j.cpus(),
                j.memoryMiB(), j.timeoutSeconds(), j.createdAt(), j.startedAt(), j.finishedAt(), j.exitCode(),
                logBytes, j.error(), j.repository(), j.workflow(), j.jobName(), j.runId(), j.runAttempt());
    }

    /** A runner VM took a GitHub job: it runs from now, under the job's names. */
    static Job tookGithubJob(Job j, String repository, String workflow, String jobName, Long runId, Integer attempt) {
        String name = String.join(" / ", java.util.stream.Stream.of(repository, workflow, jobName)
                .filter(part -> part != null && !part.isBlank()).toList());
        return new Job(j.id(), j.kind(), name.isEmpty() ? j.name() : name, JobState.RUNNING.wire(), j.gpus(), j.gpusSimulated(),
                j.vmm(), j.accel(), j.cpus(), j.memoryMiB(), j.timeoutSeconds(), j.createdAt(), Instant.now(),
                j.finishedAt(), j.exitCode(), j.logBytes(), j.error(), repository, workflow,
                jobName == null || jobName.isBlank() ? "job" : jobName, runId, attempt);
    }

    /** A GitHub-kind job that never took a job from GitHub: an idle runner VM, not history. */
    static boolean isIdleRunner(Job j) {
        return Job.KIND_GITHUB.equals(j.kind()) && j.jobName() == null;
    }
}
