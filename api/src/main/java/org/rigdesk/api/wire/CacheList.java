package org.rigdesk.api.wire;

import java.util.List;

/** {@code GET /v1/caches}. */
public record CacheList(List<CacheInfo> caches) {

    public CacheList {
        caches = caches == null ? List.of() : List.copyOf(caches);
    }
}
