package org.rigdesk.daemon.runner;

import java.io.IOException;
import java.util.List;
import org.rigdesk.api.wire.Job;
import org.rigdesk.daemon.github.GitHubApi;

/**
 * Whether a runner VM's job may use and change a cache, from what GitHub says of its run; the
 * VM's own word counts for nothing. The pool asks it on the job's threads.
 */
final class CacheTrust {

    private final GitHubApi github;
    /** The registration's {@code cacheWriteEvents} ({@link CacheWriteRule}). */
    private final List<String> cacheWriteEvents;

    CacheTrust(GitHubApi github, List<String> cacheWriteEvents) {
        this.github = github;
        this.cacheWriteEvents = cacheWriteEvents;
    }

    /**
     * Whether a runner job's changes to the scope's cache are kept, from what GitHub says of its run
     * (the VM's word counts for nothing): the run is one our runner ran, of an event the
     * registration trusts, on the repository itself and not a fork. Null keeps them. Called on the
     * job's thread as it ends.
     */
    String refusal(Job job, String runnerName) {
        try {
            String notOurs = notOurRun(job, runnerName);
            if (notOurs != null) {
                return notOurs;
            }
            GitHubApi.Run run = github.run(job.repository(), job.runId());
            if (!CacheWriteRule.listsEvent(cacheWriteEvents, run.event())) {
                return "a " + run.event() + " run may read the cache, not change it";
            }
            if (!job.repository().equalsIgnoreCase(run.headRepository())) {
                return "the run's code comes from " + run.headRepository() + ", not the repository itself";
            }
            boolean anyBranchWillDo = cacheWriteEvents.contains(run.event() + ":*");
            String defaultBranch = anyBranchWillDo ? null : github.defaultBranch(job.repository());
            return CacheWriteRule.refusal(cacheWriteEvents, run.event(), run.headBranch(), defaultBranch)
                    .orElse(null);
        } catch (IOException | IllegalArgumentException e) {
            return "GitHub could not confirm the run: " + e.getMessage();
        }
    }

    /**
     * Why GitHub does not confirm that {@code runnerName} ran (or runs) the job's run of a
     * repository in the scope, or null when it does.
     */
    private String notOurRun(Job job, String runnerName) throws IOException {
        if (job.repository() == null || job.runId() == null) {
            return "the runner took no job";
        }
        String scope = github.scope().display();
        if (!(github.scope().isOrganisation() ? job.repository().startsWith(scope + "/") : job.repository().equals(scope))) {
            return "the job's repository " + job.repository() + " is not " + scope;
        }
        boolean ranHere = github.jobsOfRun(job.repository(), job.runId(), job.runAttempt() == null ? 1 : job.runAttempt())
                .stream().anyMatch(j -> runnerName.equals(j.runnerName()));
        return ranHere ? null : "GitHub does not say runner " + runnerName + " ran run " + job.runId();
    }

    /**
     * An organisation's runner VM took a job: the cache of its repository, once GitHub says our
     * runner runs that run (asked a few times: GitHub may name the runner a moment after the job
     * started). Called on the job's attach thread.
     */
    String cacheFor(Job job, String runnerName) throws IOException {
        String notOurs = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            notOurs = notOurRun(job, runnerName);
            if (notOurs == null) {
                return HostPools.cacheName(job.repository());
            }
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IOException(notOurs);
    }
}
