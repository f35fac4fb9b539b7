package org.rigdesk.daemon.settings;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.rigdesk.api.wire.Json;
import org.rigdesk.api.wire.Settings;
import org.rigdesk.daemon.network.NetworkException;
import org.rigdesk.daemon.problems.DomainException;
import org.rigdesk.daemon.store.Database;

/** Settings kept in SQLite; each field is range-checked before anything is written. */
public class SettingsService {

    private final Database database;
    private final CopyOnWriteArrayList<Consumer<Settings>> listeners = new CopyOnWriteArrayList<>();
    private volatile Settings current;

    public SettingsService(Database database) throws SQLException {
        this.database = database;
        this.current = load();
    }

    public Settings current() {
        return current;
    }

    public void onChange(Consumer<Settings> listener) {
        listeners.add(listener);
    }

    /** Validates the whole patch first, so a rejected request changes nothing. */
    public synchronized Settings update(Settings patch) throws SQLException {
        Settings merged = new Settings(
                pick("sampleIntervalMs", patch.sampleIntervalMs(), current.sampleIntervalMs(), 100, 60_000),
                pick("historyDays", patch.historyDays(), current.historyDays(), 1, 365),
                pick("jobRetentionCount", patch.jobRetentionCount(), current.jobRetentionCount(), 10, 100_000),
                pick("jobRetentionDays", patch.jobRetentionDays(), current.jobRetentionDays(), 1, 3650),
                patch.networkAllow() == null ? current.networkAllow()
                        : NetworkException.validate(patch.networkAllow()),
                pick("jobDiskMaxGiB", patch.jobDiskMaxGiB(), current.jobDiskMaxGiB(), 1, 16_384),
                pick("stateMinFreeGiB", patch.stateMinFreeGiB(), current.stateMinFreeGiB(), 0, 16_384),
                pick("auditRetentionDays", patch.auditRetentionDays(), current.auditRetentionDays(), 1, 36_500));
        database.with(connection -> {
            connection.setAutoCommit(false);
            try (PreparedStatement upsert = connection.prepareStatement(
                    "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
                for (Map.Entry<String, String> entry : asMap(merged).entrySet()) {
                    upsert.setString(1, entry.getKey());
                    upsert.setString(2, entry.getValue());
                    upsert.addBatch();
                }
                upsert.executeBatch();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
            return null;
        });
        current = merged;
        listeners.forEach(listener -> listener.accept(merged));
        return merged;
    }

    private static Integer pick(String name, Integer wanted, Integer fallback, int min, int max) {
        if (wanted == null) {
            return fallback;
        }
        if (wanted < min || wanted > max) {
            throw DomainException.invalid(name + " must be between " + min + " and " + max + ", got " + wanted);
        }
        return wanted;
    }

    private Settings load() throws SQLException {
        Map<String, String> stored = database.with(connection -> {
            Map<String, String> values = new HashMap<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT key, value FROM settings");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    values.put(rows.getString(1), rows.getString(2));
                }
            }
            return values;
        });
        Settings d = Settings.DEFAULTS;
        return new Settings(
                intOr(stored.get("sampleIntervalMs"), d.sampleIntervalMs()),
                intOr(stored.get("historyDays"), d.historyDays()),
                intOr(stored.get("jobRetentionCount"), d.jobRetentionCount()),
                intOr(stored.get("jobRetentionDays"), d.jobRetentionDays()),
                listOr(stored.get("networkAllow"), d.networkAllow()),
                intOr(stored.get("jobDiskMaxGiB"), d.jobDiskMaxGiB()),
                intOr(stored.get("stateMinFreeGiB"), d.stateMinFreeGiB()),
                intOr(stored.get("auditRetentionDays"), d.auditRetentionDays()));
    }

    private static List<String> listOr(String stored, List<String> fallback) {
        try {
            return stored == null ? fallback : List.of(Json.mapper().readValue(stored, String[].class));
        } catch (java.io.IOException e) {
            return fallback;
        }
    }

    private static Integer intOr(String stored, Integer fallback) {
        try {
            return stored == null ? fallback : Integer.valueOf(stored);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static Map<String, String> asMap(Settings settings) {
        try {
            return Map.of("sampleIntervalMs", settings.sampleIntervalMs().toString(),
                    "historyDays", settings.historyDays().toString(),
                    "jobRetentionCount", settings.jobRetentionCount().toString(),
                    "jobRetentionDays", settings.jobRetentionDays().toString(),
                    "networkAllow", Json.mapper().writeValueAsString(settings.networkAllow()),
                    "jobDiskMaxGiB", settings.jobDiskMaxGiB().toString(),
                    "stateMinFreeGiB", settings.stateMinFreeGiB().toString(),
                    "auditRetentionDays", settings.auditRetentionDays().toString());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
