package org.rigdesk.daemon.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobNetwork;
import org.rigdesk.api.wire.Json;
import org.rigdesk.daemon.store.Database;

/** Job history in SQLite: the job as the API shows it, with its state and time indexed. */
public class JobStore {

    /** The unfinished states as an SQL list: constants, never input. */
    private static final String UNFINISHED = String.join(", ", java.util.Arrays.stream(JobState.values())
            .filter(s -> !s.finished()).map(s -> "'" + s.wire() + "'").toList());

    private final Database database;

    public JobStore(Database database) {
        this.database = database;
    }

    /** Stores a new job and returns it with its id. */
    public Job insert(Job draft) throws SQLException {
        return database.with(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO jobs(state, created_at, job) VALUES (?, ?, '{}')", Statement.RETURN_GENERATED_KEYS)) {
                insert.setString(1, draft.state());
                insert.setString(2, draft.createdAt().toString());
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    Job job = Jobs.withId(draft, keys.getLong(1));
                    write(connection, job);
                    return job;
                }
            }
        });
    }

    public void update(Job job) throws SQLException {
        database.with(connection -> {
            write(connection, job);
            return null;
        });
    }

    private static void write(java.sql.Connection connection, Job job) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE jobs SET state = ?, job = ? WHERE id = ?")) {
            update.setString(1, job.state());
            update.setString(2, json(job));
            update.setLong(3, job.id());
            update.executeUpdate();
        }
    }

    public Optional<Job> get(long id) throws SQLException {
        List<Job> found = query("SELECT job FROM jobs WHERE id = ?", statement -> statement.setLong(1, id));
        return found.stream().findFirst();
    }

    /** Newest first; {@code state} null for every state. */
    public List<Job> list(String state, int limit) throws SQLException {
        if (state == null) {
            return query("SELECT job FROM jobs ORDER BY id DESC LIMIT ?", statement -> statement.setInt(1, limit));
        }
        return query("SELECT job FROM jobs WHERE state = ? ORDER BY id DESC LIMIT ?", statement -> {
            statement.setString(1, state);
            statement.setInt(2, limit);
        });
    }

    /** Jobs a previous daemon left queued, booting or running. */
    public List<Job> unfinished() throws SQLException {
        return query("SELECT job FROM jobs WHERE state IN (" + UNFINISHED + ") ORDER BY id", statement -> { });
    }

    /** Forgets one job (a runner VM that never took a GitHub job is not history). */
    public void delete(long id) throws SQLException {
        database.with(connection -> {
            for (String sql : List.of("DELETE FROM jobs WHERE id = ?", "DELETE FROM job_network WHERE job_id = ?")) {
                try (PreparedStatement delete = connection.prepareStatement(sql)) {
                    delete.setLong(1, id);
                    delete.executeUpdate();
                }
            }
            return null;
        });
    }

    /** Keeps a job's final egress log with it. */
    public void saveNetwork(long id, JobNetwork log) throws SQLException {
        database.with(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO job_network(job_id, log) VALUES "
                    + "(?, ?) ON CONFLICT(job_id) DO UPDATE SET log = excluded.log")) {
                upsert.setLong(1, id);
                upsert.setString(2, Json.mapper().writeValueAsString(log));
                return upsert.executeUpdate();
            } catch (JsonProcessingException e) {
                throw new SQLException("cannot write the egress log: " + e.getOriginalMessage(), e);
            }
        });
    }

    /** A job's kept egress log, if it had a network. */
    public Optional<JobNetwork> network(long id) throws SQLException {
        return database.with(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT log FROM job_network WHERE job_id = ?")) {
                select.setLong(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(Json.mapper().readValue(rows.getString(1), JobNetwork.class))
                            : Optional.<JobNetwork>empty();
                }
            } catch (JsonProcessingException e) {
                throw new SQLException("a stored egress log is unreadable: " + e.getOriginalMessage(), e);
            }
        });
    }

    /** Deletes finished jobs beyond the newest {@code keep}, or older than {@code before}; returns their ids. */
    public List<Long> prune(int keep, Instant before) throws SQLException {
        return database.with(connection -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT id FROM jobs WHERE state NOT IN ("
                    + UNFINISHED + ") AND (created_at < ? OR id NOT IN (SELECT id FROM jobs ORDER BY id DESC LIMIT ?))")) {
                select.setString(1, before.toString());
                select.setInt(2, keep);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getLong(1));
                    }
                }
            }
            for (String sql : List.of("DELETE FROM jobs WHERE id = ?", "DELETE FROM job_network WHERE job_id = ?")) {
                try (PreparedStatement delete = connection.prepareStatement(sql)) {
                    for (long id : ids) {
                        delete.setLong(1, id);
                        delete.addBatch();
                    }
                    delete.executeBatch();
                }
            }
            return ids;
        });
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private List<Job> query(String sql, Binder binder) throws SQLException {
        return database.with(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                binder.bind(statement);
                List<Job> jobs = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        jobs.add(Json.mapper().readValue(rows.getString(1), Job.class));
                    }
                }
                return jobs;
            } catch (JsonProcessingException e) {
                throw new SQLException("a stored job is unreadable: " + e.getOriginalMessage(), e);
            }
        });
    }

    private static String json(Job job) {
        try {
            return Json.mapper().writeValueAsString(job);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
