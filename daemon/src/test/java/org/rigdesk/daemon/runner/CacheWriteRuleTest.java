package org.rigdesk.daemon.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The registration's cacheWriteEvents with branches: the default branch unless a branch is named. */
class CacheWriteRuleTest {

    private static final List<String> DEFAULT = List.of("push", "schedule", "workflow_dispatch");

    @Test
    void byDefaultOnlyTheDefaultBranchOfAListedEventCommits() {
        assertEquals(Optional.empty(), CacheWriteRule.refusal(DEFAULT, "push", "main", "main"));
        assertEquals(Optional.of("a push run on branch feature/x may read the cache, not change it (only the default "
                + "branch main does)"), CacheWriteRule.refusal(DEFAULT, "push", "feature/x", "main"));
        assertEquals(Optional.of("a pull_request run may read the cache, not change it"),
                CacheWriteRule.refusal(DEFAULT, "pull_request", "main", "main"));
        assertTrue(CacheWriteRule.refusal(DEFAULT, "push", "", "main").isPresent(), "a run without a branch");
    }

    @Test
    void aNamedBranchOrAStarOpensMore() {
        List<String> rule = List.of("push", "push:release/2.x", "workflow_dispatch:*");
        assertEquals(Optional.empty(), CacheWriteRule.refusal(rule, "push", "release/2.x", "main"));
        assertTrue(CacheWriteRule.refusal(rule, "push", "release/3.x", "main").isPresent());
        assertEquals(Optional.empty(), CacheWriteRule.refusal(rule, "workflow_dispatch", "anything", null));
        assertTrue(CacheWriteRule.refusal(List.of(), "push", "main", "main").isPresent(), "[] is read-only");
    }

    @Test
    void entriesAreEventsWithAnOptionalBranch() {
        assertTrue(CacheWriteRule.valid(List.of("push", "push:main", "push:release/2.x", "schedule:*")));
        for (String bad : List.of("Push", "push:", "push:a b", "push:../x", "push:x/", "push:*x", ":main", "p".repeat(41))) {
            assertFalse(CacheWriteRule.valid(List.of(bad)), bad);
        }
        assertFalse(CacheWriteRule.valid(java.util.Collections.nCopies(21, "push")), "at most 20");
        assertFalse(CacheWriteRule.valid(java.util.Arrays.asList("push", null)));
    }
}
