package org.rigdesk.daemon.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.rigdesk.api.wire.Json;
import org.rigdesk.api.wire.Problem;
import org.rigdesk.api.wire.ProblemCode;

/** Errors Jetty raises itself (bad request line, oversized headers…) as problem+json too. */
class ProblemErrorHandler extends ErrorHandler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        int status = response.getStatus();
        if (status < 400) {
            status = 500;
        }
        Object message = request.getAttribute(ERROR_MESSAGE);
        if (status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
            // Jetty answers 505 to any version but 1.0 and 1.1 (HTTP/1.2 too, which RFC 9110 would
            // serve as 1.1). It is the client's error, not a server fault: a 4xx that says what we speak.
            status = HttpStatus.BAD_REQUEST_400;
            message = "unsupported HTTP version (" + message + "): rigdeskd speaks HTTP/1.1 and HTTP/1.0";
        }
        String reason = HttpStatus.getMessage(status);
        String code = switch (status) {
            case 400 -> ProblemCode.BAD_REQUEST;
            case 404 -> ProblemCode.NOT_FOUND;
            case 405 -> ProblemCode.METHOD_NOT_ALLOWED;
            case 413 -> ProblemCode.BODY_TOO_LARGE;
            case 414, 431 -> ProblemCode.HEADERS_TOO_LARGE;
            default -> status >= 500 ? ProblemCode.INTERNAL : "http-" + status;
        };
        Problem problem = Problem.of(status, code, reason, message == null ? reason : message.toString(), null);
        byte[] body = Json.mapper().writeValueAsString(problem).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        // Jetty closes the connection after a request it could not parse or accept; saying so keeps a
        // client from sending its next request into a closing connection (the fuzz test saw such a
        // request come back as the answer to it).
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
