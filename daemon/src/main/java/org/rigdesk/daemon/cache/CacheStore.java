package org.rigdesk.daemon.cache;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.rigdesk.api.wire.CacheInfo;
import org.rigdesk.api.wire.ProblemCode;
import org.rigdesk.daemon.problems.DomainException;
import org.rigdesk.daemon.store.Database;

/**
 * What SQLite keeps of the caches ({@code caches}: each cache's group, cap, last use and commit;
 * {@code cache_uses}: what each job did with one). The images themselves are {@link Caches}'.
 */
final class CacheStore {

    private static final Logger LOG = Logger.getLogger(CacheStore.class.getName());
    /** Gids of caches' groups: no /etc/group entry, above the VMMs' uids. */
    private static final int GID_BASE = 1_950_000_000;

    /** A cache as its row says, with its last uses. */
    record Row(String name, long capBytes, Instant lastUsed, Instant lastCommit, Long lastCommitJob,
               List<CacheInfo.Use> recent) {
    }

    private final Database database;
    private final Clock clock;

    CacheStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Every cache's row with its last ten uses, by name. */
    List<Row> all() {
        try {
            return database.with(connection -> {
                List<Row> caches = new ArrayList<>();
                try (PreparedStatement query = connection.prepareStatement(
                        "SELECT name, cap_bytes, last_used, last_commit, last_commit_job FROM caches ORDER BY name");
                     ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        String name = rows.getString(1);
                        caches.add(new Row(name, rows.getLong(2), instant(rows.getString(3)),
                                instant(rows.getString(4)), rows.getObject(5) == null ? null : rows.getLong(5),
                                recent(connection, name)));
                    }
                }
                return caches;
            });
        } catch (SQLException e) {
            throw DomainException.failed(ProblemCode.STORE_FAILED, "Cannot read the caches", e.getMessage(), null);
        }
    }

    private static List<CacheInfo.Use> recent(java.sql.Connection connection, String name) throws SQLException {
        List<CacheInfo.Use> uses = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT job_id, outcome, reason, at, warm, written_bytes FROM cache_uses WHERE cache = ? "
                        + "ORDER BY job_id DESC LIMIT 10")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    uses.add(new CacheInfo.Use(rows.getLong(1), rows.getString(2), rows.getString(3),
                            instant(rows.getString(4)), rows.getObject(5) == null ? null : rows.getInt(5) == 1,
                            rows.getObject(6) == null ? null : rows.getLong(6)));
                }
            }
        }
        return uses;
    }


    int allocateGid(String name, long capBytes) {
        try {
            return database.with(connection -> {
                int gid = GID_BASE;
                try (PreparedStatement max = connection.prepareStatement("SELECT MAX(gid) FROM caches");
                     ResultSet rows = max.executeQuery()) {
                    if (rows.next() && rows.getObject(1) != null) {
                        gid = rows.getInt(1) + 1;
                    }
                }
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO caches(name, gid, cap_bytes, created_at) VALUES (?, ?, ?, ?)")) {
                    insert.setString(1, name);
                    insert.setInt(2, gid);
                    insert.setLong(3, capBytes);
                    insert.setString(4, clock.instant().toString());
                    insert.executeUpdate();
                }
                return gid;
            });
        } catch (SQLException e) {
            throw DomainException.failed(ProblemCode.STORE_FAILED, "Cannot store the cache", e.getMessage(), null);
        }
    }

    Optional<Integer> gidOf(String name) {
        return one("SELECT gid FROM caches WHERE name = ?", name).map(Number::intValue);
    }

    Optional<Number> lastCommitOf(String name) {
        return one("SELECT last_commit_job FROM caches WHERE name = ?", name);
    }

    Optional<Long> capOf(String name) {
        return one("SELECT cap_bytes FROM caches WHERE name = ?", name).map(Number::longValue);
    }

    private Optional<Number> one(String sql, String name) {
        try {
            return database.with(connection -> {
                try (PreparedStatement query = connection.prepareStatement(sql)) {
                    query.setString(1, name);
                    try (ResultSet rows = query.executeQuery()) {
                        return rows.next() ? Optional.ofNullable((Number) rows.getObject(1)) : Optional.<Number>empty();
                    }
                }
            });
        } catch (SQLException e) {
            throw DomainException.failed(ProblemCode.STORE_FAILED, "Cannot read the caches", e.getMessage(), null);
        }
    }

    /** The caches, least recently used first (never used first of all), from SQLite alone: no image is looked at. */
    List<String> namesByLastUse() {
        try {
            return database.with(connection -> {
                Map<String, Instant> lastUse = new HashMap<>();
                try (PreparedStatement query = connection.prepareStatement("SELECT name, last_used FROM caches");
                     ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        Instant used = instant(rows.getString(2));
                        lastUse.put(rows.getString(1), used == null ? Instant.EPOCH : used);
                    }
                }
                return lastUse.keySet().stream().sorted(Comparator.comparing(lastUse::get)).toList();
            });
        } catch (SQLException e) {
            throw DomainException.failed(ProblemCode.STORE_FAILED, "Cannot read the caches", e.getMessage(), null);
        }
    }

    void touch(String name) {
        update("UPDATE caches SET last_used = ? WHERE name = ?", clock.instant().toString(), name);
    }

    void updateCommit(String name, long jobId) {
        update("UPDATE caches SET last_commit = ?, last_commit_job = ? WHERE name = ?",
                clock.instant().toString(), jobId, name);
    }

    void forget(String name) {
        update("DELETE FROM caches WHERE name = ?", name);
        update("DELETE FROM cache_uses WHERE cache = ?", name);
    }

    void record(long jobId, String name, String outcome, String reason) {
        try {
            database.with(connection -> {
                try (PreparedStatement upsert = connection.prepareStatement("""
                        INSERT INTO cache_uses(job_id, cache, outcome, reason, at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT(job_id) DO UPDATE SET outcome = excluded.outcome, reason = excluded.reason,
                            at = excluded.at""")) {
                    upsert.setLong(1, jobId);
                    upsert.setString(2, name);
                    upsert.setString(3, outcome);
                    upsert.setString(4, reason);
                    upsert.setString(5, clock.instant().toString());
                    return upsert.executeUpdate();
                }
            });
        } catch (SQLException e) {
            LOG.warning("cannot note job " + jobId + "'s use of cache " + name + ": " + e.getMessage());
        }
    }

    /** One statement with its parameters. */
    void update(String sql, Object... parameters) {
        try {
            database.with(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    for (int i = 0; i < parameters.length; i++) {
                        statement.setObject(i + 1, parameters[i]);
                    }
                    return statement.executeUpdate();
                }
            });
        } catch (SQLException e) {
            LOG.warning("cannot update the caches: " + e.getMessage());
        }
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
