package org.rigdesk.daemon.http;

/** Handles one route; answers through the exchange or throws {@link ApiException}. */
@FunctionalInterface
public interface Endpoint {
    void handle(Exchange exchange) throws Exception;
}
