package org.rigdesk.daemon.cache;

import com.fasterxml.jackson.databind.JsonNode;
import org.rigdesk.api.wire.CacheList;
import org.rigdesk.daemon.http.Router;
import org.rigdesk.daemon.problems.DomainException;

/** {@code GET /v1/caches}, {@code PUT /v1/caches/{name}} {@code {"capBytes":N}}, {@code DELETE /v1/caches/{name}}. */
public final class CacheRoutes {

    private CacheRoutes() {
    }

    public static void register(Router router, Caches caches) {
        router.add("GET", "/v1/caches", exchange -> exchange.json(200, new CacheList(caches.list())));
        router.add("PUT", "/v1/caches/{name}", exchange -> {
            JsonNode body = exchange.body(JsonNode.class);
            if (!body.isObject() || !body.path("capBytes").canConvertToLong() || body.size() != 1) {
                throw DomainException.invalid("the body is {\"capBytes\": N}, the cache's size cap in bytes");
            }
            exchange.json(201, caches.create(exchange.path("name"), body.get("capBytes").asLong(), exchange.peer().user()));
        });
        router.add("DELETE", "/v1/caches/{name}", exchange -> {
            caches.clear(exchange.path("name"), exchange.peer().user());
            exchange.json(200, new CacheList(caches.list()));
        });
    }
}
