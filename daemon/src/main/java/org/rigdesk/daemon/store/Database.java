package org.rigdesk.daemon.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import org.rigdesk.daemon.problems.StartupException;

/**
 * The daemon's SQLite file (WAL). One connection behind a lock: SQLite has one writer anyway,
 * and the daemon's write rate is tiny. Opening runs any pending {@link Migration}s.
 */
public class Database implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Database.class.getName());

    private final Path file;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();

    private Database(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    public static Database open(Path file, List<Migration> migrations) throws StartupException {
        boolean fresh = !Files.exists(file);
        Connection connection;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        } catch (SQLException e) {
            throw new StartupException("cannot open the state database " + file + ": " + e.getMessage(),
                    "check that the state directory exists and is writable by rigdeskd", e);
        }
        Database db = new Database(file, connection);
        try {
            if (fresh) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA busy_timeout = 5000");
                statement.execute("PRAGMA journal_mode = WAL");
                statement.execute("PRAGMA foreign_keys = ON");
                statement.execute("PRAGMA synchronous = NORMAL");
            }
            db.migrate(migrations);
            // Migrations only write when there is something to do: prove now that rigdeskd can write
            // at all, rather than failing on the first job or sample with the database locked.
            try (Statement statement = connection.createStatement()) {
                statement.execute("BEGIN IMMEDIATE");
                statement.execute("ROLLBACK");
            }
            return db;
        } catch (SQLException e) {
            db.close();
            throw new StartupException("the state database " + file + " is unusable: " + e.getMessage(),
                    remedyFor(e, file), e);
        } catch (IOException e) {
            db.close();
            throw new StartupException("cannot set permissions on " + file + ": " + e.getMessage(),
                    "check the state directory's owner", e);
        }
    }

    private static String remedyFor(SQLException e, Path file) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("SQLITE_BUSY") || message.contains("locked")) {
            return "another process holds " + file + " locked: stop it (is a second rigdeskd running?) and retry";
        }
        if (message.contains("NOTADB") || message.contains("not a database") || message.contains("CORRUPT")) {
            return "the file is damaged: move it aside (mv " + file + " " + file + ".broken) to start with an "
                    + "empty history, or restore it from a backup";
        }
        return "check the disk and the file's permissions";
    }

    private void migrate(List<Migration> migrations) throws SQLException, StartupException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version    INTEGER PRIMARY KEY,
                        name       TEXT NOT NULL,
                        applied_at TEXT NOT NULL
                    )""");
        }
        int current = schemaVersion();
        int known = migrations.stream().mapToInt(Migration::version).max().orElse(0);
        if (current > known) {
            throw new StartupException("the state database " + file + " has schema version " + current
                    + ", newer than this rigdeskd knows (" + known + ")",
                    "run the newer rigdeskd that wrote it, or restore a backup made before the upgrade");
        }
        for (Migration migration : migrations) {
            if (migration.version() <= current) {
                continue;
            }
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : migration.sql().split(";\\s*\n")) {
                    if (!sql.isBlank()) {
                        statement.execute(sql);
                    }
                }
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)")) {
                    insert.setInt(1, migration.version());
                    insert.setString(2, migration.name());
                    insert.setString(3, Instant.now().toString());
                    insert.executeUpdate();
                }
                connection.commit();
                LOG.info(() -> "schema migrated to version " + migration.version() + " (" + migration.name() + ")");
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    public int schemaVersion() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    /** Runs work with the connection held exclusively (a transaction if it opens one). */
    public <T> T with(SqlWork<T> work) throws SQLException {
        lock.lock();
        try {
            return work.apply(connection);
        } finally {
            lock.unlock();
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warning("closing the database failed: " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T apply(Connection connection) throws SQLException;
    }
}
