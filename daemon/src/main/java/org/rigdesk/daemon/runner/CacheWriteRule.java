package org.rigdesk.daemon.runner;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which runs of the repository itself may change its cache: the registration's
 * {@code cacheWriteEvents}, each {@code EVENT} (a run of that event on the repository's default
 * branch), {@code EVENT:BRANCH} (on that branch too) or {@code EVENT:*} (on any branch). GitHub's
 * own cache is scoped so: a branch reads the default branch's, and its writes stay its own; here a
 * branch's writes are simply not kept, so a collaborator's feature branch cannot change what the
 * default branch's trusted builds read.
 */
final class CacheWriteRule {

    private static final Pattern ENTRY = Pattern.compile("^[a-z_]{1,40}(:(\\*|[A-Za-z0-9._/-]{1,100}))?$");

    private CacheWriteRule() {
    }

    /** Whether {@code entries} are a valid rule (at most 20). */
    static boolean valid(List<String> entries) {
        return entries.size() <= 20 && entries.stream().allMatch(e -> e != null && ENTRY.matcher(e).matches()
                && !e.contains("..") && !e.endsWith("/"));
    }

    /** Whether runs of {@code event} may change the cache on some branch. */
    static boolean listsEvent(List<String> entries, String event) {
        return entries.stream().anyMatch(entry -> eventOf(entry).equals(event));
    }

    private static String eventOf(String entry) {
        int colon = entry.indexOf(':');
        return colon < 0 ? entry : entry.substring(0, colon);
    }

    /** Why a run of {@code event} on {@code branch} may not change the cache, or empty when it may. */
    static Optional<String> refusal(List<String> entries, String event, String branch, String defaultBranch) {
        if (!listsEvent(entries, event)) {
            return Optional.of("a " + event + " run may read the cache, not change it");
        }
        for (String entry : entries) {
            if (!eventOf(entry).equals(event)) {
                continue;
            }
            int colon = entry.indexOf(':');
            String listedBranch = colon < 0 ? null : entry.substring(colon + 1);
            if ("*".equals(listedBranch) || (branch != null && branch.equals(listedBranch))
                    || (branch != null && branch.equals(defaultBranch))) {
                return Optional.empty();
            }
        }
        return Optional.of("a " + event + " run on branch " + (branch == null || branch.isEmpty() ? "(none)" : branch)
                + " may read the cache, not change it (only the default branch " + defaultBranch + " does)");
    }
}
