package org.rigdesk.api.wire;

import java.util.List;

/** {@code GET /v1/audit}: newest first. */
public record AuditLog(List<AuditEntry> entries) {
}
