package org.rigdesk.daemon.telemetry;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rigdesk.api.wire.GpuSample;
import org.rigdesk.api.wire.TelemetryHistory;
import org.rigdesk.daemon.store.Database;

/**
 * One-minute min/avg/max per GPU, kept in SQLite for long windows (beyond the in-memory hour).
 * Samples are folded into the open minute; a minute is written when the next one starts.
 */
public class MinuteAggregates {

    private static final String[] METRICS = {"util", "mem", "temp", "power"};

    private final Database database;
    private final Map<String, Bucket> open = new HashMap<>();

    public MinuteAggregates(Database database) {
        this.database = database;
    }

    /** Folds in a sample; returns the finished bucket when the sample opens a new minute, to be written. */
    synchronized Bucket add(GpuSample sample) {
        long minute = sample.at().getEpochSecond() / 60;
        Bucket bucket = open.get(sample.bdf());
        Bucket finished = null;
        if (bucket == null || bucket.minute != minute) {
            finished = bucket;
            bucket = new Bucket(sample.bdf(), minute);
            open.put(sample.bdf(), bucket);
        }
        bucket.add(sample);
        return finished;
    }

    void write(Bucket bucket) throws SQLException {
        database.with(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT OR REPLACE INTO telemetry_minutes(bdf, minute, samples, util_min, util_avg, util_max,
                        mem_min, mem_avg, mem_max, temp_min, temp_avg, temp_max, power_min, power_avg, power_max)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                insert.setString(1, bucket.bdf);
                insert.setLong(2, bucket.minute);
                insert.setInt(3, bucket.count);
                int column = 4;
                for (Stat stat : bucket.stats) {
                    insert.setObject(column++, stat.min());
                    insert.setObject(column++, stat.avg());
                    insert.setObject(column++, stat.max());
                }
                return insert.executeUpdate();
            }
        });
    }

    /** Minutes of {@code bdf} from {@code since} on, oldest first. */
    public List<TelemetryHistory.Point> since(String bdf, Instant since) throws SQLException {
        return database.with(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT * FROM telemetry_minutes WHERE bdf = ? AND minute >= ? ORDER BY minute")) {
                query.setString(1, bdf);
                query.setLong(2, since.getEpochSecond() / 60);
                List<TelemetryHistory.Point> points = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        points.add(new TelemetryHistory.Point(Instant.ofEpochSecond(rows.getLong("minute") * 60),
                                values(rows, "avg"), values(rows, "min"), values(rows, "max")));
                    }
                }
                return points;
            }
        });
    }

    /** Deletes minutes older than {@code days}; returns how many went. */
    public int prune(int days, Instant now) throws SQLException {
        return database.with(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM telemetry_minutes WHERE minute < ?")) {
                delete.setLong(1, now.minusSeconds(days * 86_400L).getEpochSecond() / 60);
                return delete.executeUpdate();
            }
        });
    }

    private static TelemetryHistory.Values values(ResultSet rows, String kind) throws SQLException {
        return new TelemetryHistory.Values(real(rows, METRICS[0] + "_" + kind), real(rows, METRICS[1] + "_" + kind),
                real(rows, METRICS[2] + "_" + kind), real(rows, METRICS[3] + "_" + kind));
    }

    private static Double real(ResultSet rows, String column) throws SQLException {
        double value = rows.getDouble(column);
        return rows.wasNull() ? null : value;
    }

    /** The open minute of one GPU. */
    static final class Bucket {
        final String bdf;
        final long minute;
        int count;
        final Stat[] stats = {new Stat(s -> s.utilizationGpu()), new Stat(s -> s.memoryUsedMiB()),
                new Stat(s -> s.temperatureC()), new Stat(s -> s.powerDrawW())};

        Bucket(String bdf, long minute) {
            this.bdf = bdf;
            this.minute = minute;
        }

        void add(GpuSample sample) {
            count++;
            for (Stat stat : stats) {
                stat.add(sample);
            }
        }
    }

    /** Running min/sum/max of one metric, ignoring absent values. */
    static final class Stat {
        private final java.util.function.Function<GpuSample, Double> metric;
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;
        private double sum;
        private int n;

        Stat(java.util.function.Function<GpuSample, Double> metric) {
            this.metric = metric;
        }

        void add(GpuSample sample) {
            Double value = metric.apply(sample);
            if (value != null) {
                min = Math.min(min, value);
                max = Math.max(max, value);
                sum += value;
                n++;
            }
        }

        Double min() {
            return n == 0 ? null : min;
        }

        Double max() {
            return n == 0 ? null : max;
        }

        Double avg() {
            return n == 0 ? null : sum / n;
        }
    }
}
