package org.rigdesk.daemon.lending;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.rigdesk.api.wire.GpuLending;
import org.rigdesk.api.wire.Json;
import org.rigdesk.api.wire.LendingWindow;
import org.rigdesk.daemon.store.Database;

/** The owner's lending policy per card, by PCI address, in SQLite. */
final class LendingStore {

    private static final Logger LOG = Logger.getLogger(LendingStore.class.getName());

    /** A stored policy; {@code schedule} only for the schedule policy. */
    record Policy(String policy, LendingSchedule schedule, int idleSeconds) {

        List<LendingWindow> windows() {
            return schedule == null ? List.of() : schedule.wire();
        }
    }

    private final Database database;

    LendingStore(Database database) {
        this.database = database;
    }

    void put(String bdf, Policy policy) throws SQLException {
        String schedule;
        try {
            schedule = Json.mapper().writeValueAsString(policy.windows());
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot write the schedule", e);
        }
        database.with(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("""
                    INSERT INTO gpu_lending(bdf, policy, schedule, idle_seconds, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(bdf) DO UPDATE SET policy = excluded.policy, schedule = excluded.schedule,
                        idle_seconds = excluded.idle_seconds, updated_at = excluded.updated_at""")) {
                upsert.setString(1, bdf);
                upsert.setString(2, policy.policy());
                upsert.setString(3, schedule);
                upsert.setInt(4, policy.idleSeconds());
                upsert.setString(5, Instant.now().toString());
                return upsert.executeUpdate();
            }
        });
    }

    void remove(String bdf) throws SQLException {
        database.with(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM gpu_lending WHERE bdf = ?")) {
                delete.setString(1, bdf);
                return delete.executeUpdate();
            }
        });
    }

    /** Every stored policy; a row that no longer reads (edited by hand) is skipped with a warning. */
    Map<String, Policy> all() throws SQLException {
        return database.with(connection -> {
            Map<String, Policy> policies = new LinkedHashMap<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT bdf, policy, schedule, idle_seconds FROM gpu_lending ORDER BY bdf");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String bdf = rows.getString(1);
                    try {
                        List<LendingWindow> windows = Json.mapper().readValue(rows.getString(3), new TypeReference<>() {
                        });
                        String policy = rows.getString(2);
                        if (!GpuLending.POLICIES.contains(policy)) {
                            throw new IllegalArgumentException("unknown policy " + policy);
                        }
                        policies.put(bdf, new Policy(policy, GpuLending.SCHEDULE.equals(policy)
                                ? LendingSchedule.parse(windows) : null, rows.getInt(4)));
                    } catch (JsonProcessingException | IllegalArgumentException e) {
                        LOG.warning("the lending policy of " + bdf + " is unreadable, ignored: " + e.getMessage());
                    }
                }
            }
            return policies;
        });
    }
}
