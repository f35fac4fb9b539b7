package org.rigdesk.daemon.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Method + path template ({@code /v1/gpus/{bdf}/mode}) to endpoint. A path that matches with
 * another method is a 405 with Allow; no match is a 404. A template names the query parameters
 * its endpoint takes after a '?' ({@code /v1/jobs?state&limit}); any other is refused, so a
 * mistyped filter is an error instead of an unfiltered answer.
 */
public class Router {

    private final List<Route> routes = new ArrayList<>();

    public Router add(String method, String template, Endpoint endpoint) {
        int question = template.indexOf('?');
        String path = question < 0 ? template : template.substring(0, question);
        Set<String> query = question < 0 ? Set.of() : Set.of(template.substring(question + 1).split("&"));
        routes.add(new Route(method, method + " " + path, path.split("/", -1), query, endpoint));
        return this;
    }

    public Match match(String method, String path) {
        String[] segments = path.split("/", -1);
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Map<String, String> params = route.bind(segments);
            if (params == null) {
                continue;
            }
            if (route.method.equals(method) || ("HEAD".equals(method) && "GET".equals(route.method))) {
                return new Match(route.endpoint, params, Set.of(), route.query, route.name);
            }
            allowed.add(route.method);
        }
        return new Match(null, Map.of(), allowed, Set.of(), null);
    }

    /**
     * Endpoint is null when nothing matched; {@code allowed} then lists methods the path takes.
     * {@code query} is what the endpoint takes after '?', {@code route} how to name it in an error.
     */
    public record Match(Endpoint endpoint, Map<String, String> params, Set<String> allowed, Set<String> query,
            String route) {
    }

    /** {@code name} ("GET /v1/jobs") is built once, for errors: nothing is allocated per request for it. */
    private record Route(String method, String name, String[] template, Set<String> query, Endpoint endpoint) {
        /** The path's parameters when it fits this template, else null; nothing is allocated for a miss. */
        Map<String, String> bind(String[] segments) {
            if (segments.length != template.length) {
                return null;
            }
            int params = 0;
            for (int i = 0; i < template.length; i++) {
                if (isParam(template[i])) {
                    if (segments[i].isEmpty()) {
                        return null;
                    }
                    params++;
                } else if (!template[i].equals(segments[i])) {
                    return null;
                }
            }
            if (params == 0) {
                return Map.of();
            }
            Map<String, String> bound = new LinkedHashMap<>();
            for (int i = 0; i < template.length; i++) {
                if (isParam(template[i])) {
                    bound.put(template[i].substring(1, template[i].length() - 1), segments[i]);
                }
            }
            return bound;
        }

        private static boolean isParam(String segment) {
            return segment.startsWith("{") && segment.endsWith("}");
        }
    }
}
