package org.rigdesk.api.wire;

/**
 * {@code POST /v1/runner/test-job}: hands the test image's stand-in runner a job as GitHub would
 * hand one to a real runner, so the whole runner path (just-in-time runner, VM, hooks, record,
 * refill) can be tried without GitHub. Refused unless the job image is the test image.
 */
public record RunnerTestJob(Boolean gpu, String repository, String workflow, String job, Long runId,
                            Integer runAttempt, String script) {
}
