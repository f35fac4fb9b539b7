package org.rigdesk.api.wire;

import java.time.Instant;

/** One change the daemon made or refused, with who asked (from the socket's peer credentials). */
public record AuditEntry(long id, Instant at, String caller, String action, String target, String outcome,
                         String detail) {
}
