package org.rigdesk.daemon.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.rigdesk.api.wire.AuditEntry;

/** The audit log: every change requested over the API, with the caller and the outcome. */
public class AuditStore {

    private static final Logger LOG = Logger.getLogger(AuditStore.class.getName());

    private final Database database;

    public AuditStore(Database database) {
        this.database = database;
    }

    /** Records an entry; a failing audit write is logged, never allowed to break the change itself. */
    public void record(String caller, String action, String target, String outcome, String detail) {
        try {
            database.with(connection -> {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO audit(at, caller, action, target, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, Instant.now().toString());
                    insert.setString(2, caller);
                    insert.setString(3, action);
                    insert.setString(4, target);
                    insert.setString(5, outcome);
                    insert.setString(6, detail);
                    return insert.executeUpdate();
                }
            });
        } catch (SQLException e) {
            LOG.warning("audit entry for " + action + " " + target + " not written: " + e.getMessage());
        }
    }

    /**
     * Deletes entries older than {@code days} (the owner's {@code auditRetentionDays}): a busy runner
     * writes a few every job, and nothing else ever removed them. Returns how many went.
     */
    public int prune(int days, Instant now) throws SQLException {
        return database.with(connection -> {
            // ISO-8601 instants of one format sort as text; a sub-second difference at the cut does not matter.
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM audit WHERE at < ?")) {
                delete.setString(1, now.minusSeconds(days * 86_400L).toString());
                return delete.executeUpdate();
            }
        });
    }

    public List<AuditEntry> latest(int limit) throws SQLException {
        return database.with(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT id, at, caller, action, target, outcome, detail FROM audit ORDER BY id DESC LIMIT ?")) {
                query.setInt(1, limit);
                List<AuditEntry> entries = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        entries.add(new AuditEntry(rows.getLong(1), Instant.parse(rows.getString(2)), rows.getString(3),
                                rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7)));
                    }
                }
                return entries;
            }
        });
    }
}
