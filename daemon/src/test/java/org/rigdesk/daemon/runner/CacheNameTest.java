package org.rigdesk.daemon.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.CacheInfo;

/** A registration's cache name: one per scope, never one two scopes share, always a valid cache name. */
class CacheNameTest {

    @Test
    void scopesThatOnceSharedANameGetTheirOwn() {
        assertEquals("github-octo.gpu-ci", HostPools.cacheName("octo/gpu-ci"));
        assertEquals("github-octo-gpu.ci", HostPools.cacheName("octo-gpu/ci"));
        assertEquals("github-octo", HostPools.cacheName("octo"));
        assertEquals(HostPools.cacheName("Octo/GPU-CI"), HostPools.cacheName("octo/gpu-ci"), "GitHub ignores case");
    }

    @Test
    void longNamesEndInAHashOfTheWholeScopeRatherThanBeingCut() {
        String repo = "r".repeat(60);
        String a = HostPools.cacheName("octo/" + repo + "-a");
        String b = HostPools.cacheName("octo/" + repo + "-b");
        assertNotEquals(a, b, "the same first 64 characters");
        for (String name : new String[] {a, b, HostPools.cacheName("o".repeat(39) + "/" + "x".repeat(100))}) {
            assertTrue(CacheInfo.NAME.matcher(name).matches(), name);
            assertTrue(name.length() <= 64, name);
        }
    }
}
