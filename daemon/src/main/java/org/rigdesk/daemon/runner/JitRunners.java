package org.rigdesk.daemon.runner;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.rigdesk.daemon.github.GitHubApi;
import org.rigdesk.daemon.github.GitHubException;
import org.rigdesk.daemon.github.GitHubRunner;

/** Our just-in-time runners on GitHub: made for a slot, deleted after it; a failure feeds the back-off. */
final class JitRunners {

    private static final Logger LOG = Logger.getLogger(JitRunners.class.getName());

    private final GitHubApi github;
    private final GitHubBackoff backoff;
    private final Clock clock;
    private final long runnerGroupId;

    JitRunners(GitHubApi github, GitHubBackoff backoff, Clock clock, long runnerGroupId) {
        this.github = github;
        this.backoff = backoff;
        this.clock = clock;
        this.runnerGroupId = runnerGroupId;
    }

    /** {@code generate-jitconfig}; a 409 for the name is resolved by deleting the idle runner that holds it. */
    GitHubApi.JitConfig create(String name, List<String> labels) throws IOException {
        try {
            return github.generateJitConfig(name, runnerGroupId, labels, "_work");
        } catch (GitHubException e) {
            if (e.status() != 409) {
                throw e;
            }
            Optional<GitHubRunner> holder = github.listRunners().stream().filter(r -> r.name().equals(name)).findFirst();
            if (holder.isPresent() && !holder.get().busy()) {
                LOG.info("runner name " + name + " was taken by an idle runner: deleting it and trying again");
                github.deleteRunner(holder.get().id());
                return github.generateJitConfig(name, runnerGroupId, labels, "_work");
            }
            throw e;
        }
    }

    /** Deletes one of our runners; GitHub removes a JIT runner after its job itself, so 404 is normal. */
    void deleteQuietly(long runnerId) {
        try {
            github.deleteRunner(runnerId);
        } catch (GitHubException e) {
            if (e.status() != 404 && e.status() != 422) {
                backoff.failed(e, clock.instant());
                LOG.info("deleting runner " + runnerId + " failed, the reconciler will retry: " + e.getMessage());
            }
        } catch (IOException e) {
            backoff.failed(e, clock.instant());
        }
    }
}
