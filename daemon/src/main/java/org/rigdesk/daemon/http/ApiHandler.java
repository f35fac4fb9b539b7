package org.rigdesk.daemon.http;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.rigdesk.api.wire.Problem;
import org.rigdesk.api.wire.ProblemCode;

/** Routes each request and turns every failure into a problem+json answer. */
class ApiHandler extends Handler.Abstract {

    private static final Logger LOG = Logger.getLogger(ApiHandler.class.getName());

    private final Router router;
    private final AccessPolicy access;
    private final Refusals refusals;

    /** Where a refused change is written down (the audit log). */
    public interface Refusals {
        void refused(Peer peer, String method, String path);
    }

    private final StreamSlots streams = new StreamSlots();

    ApiHandler(Router router, AccessPolicy access, Refusals refusals) {
        this.router = router;
        this.access = access;
        this.refusals = refusals;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        String raw = request.getHttpURI().getPath();
        String path = request.getHttpURI().getCanonicalPath();
        if (raw == null || path == null || !raw.equals(path) || raw.contains("%")) {
            // Dot segments and escapes have no place in our paths; refusing them keeps a crafted
            // path from ever being read as another resource.
            new Exchange(request, response, callback, java.util.Map.of()).problem(Problem.of(400, ProblemCode.BAD_REQUEST,
                    "Bad request", "the path must be plain: no '.', '..' or %-escaped segments", null));
            return true;
        }
        Router.Match match = router.match(method, path);
        Exchange exchange = new Exchange(request, response, callback, match.params(), streams);
        if (match.endpoint() == null) {
            if (match.allowed().isEmpty()) {
                exchange.problem(Problem.of(404, ProblemCode.NOT_FOUND, "Not found", "no such endpoint: " + method + " " + path,
                        "see GET /v1/info and the API table in ARCHITECTURE.md"));
            } else {
                response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", match.allowed()));
                exchange.problem(Problem.of(405, ProblemCode.METHOD_NOT_ALLOWED, "Method not allowed",
                        method + " is not allowed on " + path + "; allowed: " + String.join(", ", match.allowed()),
                        null));
            }
            return true;
        }
        if (!AccessPolicy.isRead(method)) {
            Peer peer = exchange.peer();
            if (!access.mayChange(peer)) {
                refusals.refused(peer, method, path);
                exchange.problem(Problem.of(403, ProblemCode.FORBIDDEN, "Not allowed",
                        peer.user() + " may read but not change anything: changes need root or the "
                                + access.adminGroup() + " group",
                        "Join the group and log in again: sudo usermod -aG " + access.adminGroup() + " " + peer.user()));
                return true;
            }
        }
        try {
            exchange.checkQuery(match.query(), match.route());
            match.endpoint().handle(exchange);
        } catch (ApiException e) {
            answer(exchange, e.problem());
        } catch (org.rigdesk.daemon.problems.DomainException e) {
            answer(exchange, Problems.of(e));
        } catch (Exception | StackOverflowError e) {
            LOG.log(Level.SEVERE, "internal error on " + method + " " + path, e);
            answer(exchange, Problem.of(500, ProblemCode.INTERNAL, "Internal error",
                    "rigdeskd failed while handling " + method + " " + path + ": " + e.getClass().getSimpleName(),
                    "see the daemon's log: journalctl -u rigdeskd"));
        } finally {
            exchange.releaseStream();
        }
        return true;
    }

    private static void answer(Exchange exchange, Problem problem) {
        if (exchange.isStarted()) {
            // A stream had already started: nothing sensible can be sent any more.
            exchange.endStream(new IllegalStateException(problem.detail()));
        } else {
            exchange.problem(problem);
        }
    }
}
