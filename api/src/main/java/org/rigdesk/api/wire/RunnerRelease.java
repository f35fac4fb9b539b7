package org.rigdesk.api.wire;

import java.time.Instant;

/**
 * The GitHub Actions runner the daemon keeps for its runner VMs ({@code runnerRelease} in
 * {@code GET /v1/runner}). {@code state}: {@link #CURRENT} (the newest release known, its hash
 * checked), {@link #OUTDATED} (a newer release exists and could not be had, or the kept one is more
 * than 30 days old: GitHub stops giving it jobs), {@link #UNVERIFIED} (kept without a hash to check
 * it against) or {@link #MISSING} (none yet: runner VMs wait). {@code source}: where it came from
 * (a release URL, or the file an owner gave); {@code detail}: the problem or the next step, in words.
 */
public record RunnerRelease(String version, Instant publishedAt, String source, String state, String detail) {

    public static final String CURRENT = "current";
    public static final String OUTDATED = "outdated";
    public static final String UNVERIFIED = "unverified";
    public static final String MISSING = "missing";

    /** The oldest runner GitHub lets register (enforced since 2026-09-25). */
    public static final String MINIMUM_VERSION = "2.329.0";
}
