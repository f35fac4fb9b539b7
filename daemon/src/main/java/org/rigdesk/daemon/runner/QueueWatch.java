package org.rigdesk.daemon.runner;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.rigdesk.daemon.github.GitHubApi;

/**
 * Which workflow jobs wait on GitHub, without webhooks: the scope's repositories (the one of a
 * repository registration; an organisation's pushed to in the last week, listed again every ten
 * minutes), their queued and in-progress runs, and those runs' queued jobs — every request
 * conditional, so an unchanged queue costs no rate limit. At most {@link #MAX_RUNS} runs a poll.
 */
final class QueueWatch {

    static final int MAX_RUNS = 50;
    private static final Duration REPOSITORIES_EVERY = Duration.ofMinutes(10);
    private static final Duration RECENT = Duration.ofDays(7);

    private final GitHubApi github;
    private final Clock clock;
    private List<String> repositories = List.of();
    private Instant repositoriesAt = Instant.EPOCH;

    QueueWatch(GitHubApi github, Clock clock) {
        this.github = github;
        this.clock = clock;
    }

    /** The queued jobs, oldest first (by job id). */
    List<GitHubApi.QueuedJob> poll() throws IOException {
        List<GitHubApi.QueuedJob> queued = new ArrayList<>();
        int runs = 0;
        for (String repository : repositories()) {
            Set<Long> active = new LinkedHashSet<>(github.activeRuns(repository));
            for (long run : active) {
                if (runs++ >= MAX_RUNS) {
                    break;
                }
                queued.addAll(github.queuedJobs(repository, run));
            }
        }
        queued.sort(Comparator.comparingLong(GitHubApi.QueuedJob::id));
        return queued;
    }

    private List<String> repositories() throws IOException {
        if (!github.scope().isOrganisation()) {
            return List.of(github.scope().display());
        }
        Instant now = clock.instant();
        if (now.isAfter(repositoriesAt.plus(REPOSITORIES_EVERY))) {
            repositories = github.recentRepositories(RECENT);
            repositoriesAt = now;
        }
        return repositories;
    }
}
