package org.rigdesk.daemon.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {

    private final Endpoint list = exchange -> { };
    private final Endpoint one = exchange -> { };
    private final Endpoint mode = exchange -> { };
    private final Router router = new Router()
            .add("GET", "/v1/gpus?state&limit", list)
            .add("GET", "/v1/gpus/{bdf}", one)
            .add("PUT", "/v1/gpus/{bdf}/mode", mode);

    @Test
    void bindsTemplateParameters() {
        Router.Match match = router.match("PUT", "/v1/gpus/0000:01:00.0/mode");
        assertSame(mode, match.endpoint());
        assertEquals(Map.of("bdf", "0000:01:00.0"), match.params());
    }

    @Test
    void otherMethodOnAKnownPathListsAllowedMethods() {
        Router.Match match = router.match("DELETE", "/v1/gpus/0000:01:00.0");
        assertNull(match.endpoint());
        assertEquals(Set.of("GET"), match.allowed());
    }

    @Test
    void unknownPathsAndEmptySegmentsDoNotMatch() {
        assertNull(router.match("GET", "/v1/gpus/").endpoint());
        assertEquals(Set.of(), router.match("GET", "/v1/gpus/").allowed());
        assertNull(router.match("GET", "/v1/gpus/x/y").endpoint());
        assertNull(router.match("GET", "/v2/gpus").endpoint());
    }

    @Test
    void aTemplateNamesTheQueryParametersItsEndpointTakes() {
        Router.Match match = router.match("GET", "/v1/gpus");
        assertEquals(Set.of("state", "limit"), match.query());
        assertEquals("GET /v1/gpus", match.route());
        assertEquals(Set.of(), router.match("GET", "/v1/gpus/0000:01:00.0").query());
    }

    @Test
    void headIsServedByGet() {
        assertSame(list, router.match("HEAD", "/v1/gpus").endpoint());
    }
}
