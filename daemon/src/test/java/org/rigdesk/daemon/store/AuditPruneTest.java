package org.rigdesk.daemon.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.wire.AuditEntry;

/** The audit log keeps the owner's retention, and no more: a busy runner writes a few entries every job. */
class AuditPruneTest {

    @TempDir
    Path dir;

    @Test
    void entriesOlderThanTheRetentionGoAndTheRestStay() throws Exception {
        Database database = Database.open(dir.resolve("rigdesk.db"), Migrations.all());
        try {
            AuditStore audit = new AuditStore(database);
            Instant now = Instant.parse("2026-12-05T12:00:00Z");
            for (int daysAgo : List.of(400, 181, 179, 3)) {
                database.with(connection -> {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO audit(at, caller, action, target, outcome, detail) VALUES (?, 'root', 'test', ?, 'ok', null)")) {
                        insert.setString(1, now.minusSeconds(daysAgo * 86_400L).toString());
                        insert.setString(2, daysAgo + " days ago");
                        return insert.executeUpdate();
                    }
                });
            }

            assertEquals(2, audit.prune(180, now));

            assertEquals(List.of("3 days ago", "179 days ago"),
                    audit.latest(10).stream().map(AuditEntry::target).toList());
            assertEquals(0, audit.prune(180, now), "nothing more to prune");
        } finally {
            database.close();
        }
    }
}
