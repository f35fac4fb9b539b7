package org.rigdesk.daemon.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.daemon.problems.StartupException;

class DatabaseTest {

    @TempDir
    Path dir;

    @Test
    void migrationsRunOnceAndReopeningIsIdempotent() throws Exception {
        Path file = dir.resolve("rigdesk.db");
        try (Database db = Database.open(file, Migrations.all())) {
            assertEquals(Migrations.all().size(), db.schemaVersion());
        }
        try (Database db = Database.open(file, Migrations.all())) {
            assertEquals(Migrations.all().size(), db.schemaVersion());
            assertEquals(Migrations.all().size(), count(db, "SELECT COUNT(*) FROM schema_migrations"));
            assertEquals("wal", db.with(c -> {
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA journal_mode")) {
                    r.next();
                    return r.getString(1);
                }
            }));
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aNewMigrationIsAppliedOnTopOfAnOldDatabase() throws Exception {
        Path file = dir.resolve("rigdesk.db");
        Database.open(file, Migrations.all()).close();
        List<Migration> grown = new ArrayList<>(Migrations.all());
        int next = grown.size() + 1;
        grown.add(new Migration(next, "test table", "CREATE TABLE later (x INTEGER);"));
        try (Database db = Database.open(file, grown)) {
            assertEquals(next, db.schemaVersion());
            assertEquals(0, count(db, "SELECT COUNT(*) FROM later"));
        }
    }

    @Test
    void aDatabaseFromANewerDaemonIsRefused() throws Exception {
        Path file = dir.resolve("rigdesk.db");
        List<Migration> grown = new ArrayList<>(Migrations.all());
        grown.add(new Migration(grown.size() + 1, "future", "CREATE TABLE future (x INTEGER);"));
        Database.open(file, grown).close();
        StartupException e = assertThrows(StartupException.class, () -> Database.open(file, Migrations.all()));
        assertTrue(e.getMessage().contains("newer than this rigdeskd"), e.getMessage());
    }

    @Test
    void aFailingMigrationLeavesTheSchemaWhereItWas() throws Exception {
        Path file = dir.resolve("rigdesk.db");
        Database.open(file, Migrations.all()).close();
        List<Migration> broken = new ArrayList<>(Migrations.all());
        broken.add(new Migration(broken.size() + 1, "broken", "CREATE TABLE half (x INTEGER);\nNOT SQL AT ALL;"));
        assertThrows(StartupException.class, () -> Database.open(file, broken));
        try (Database db = Database.open(file, Migrations.all())) {
            assertEquals(Migrations.all().size(), db.schemaVersion());
            assertEquals(0, count(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'"));
        }
    }

    @Test
    void aDatabaseLockedByAnotherProcessIsAClearErrorAtStart() throws Exception {
        Path file = dir.resolve("rigdesk.db");
        Database.open(file, Migrations.all()).close();
        // Another process (here another connection) holds the write lock, as a stuck second daemon would.
        try (java.sql.Connection other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement lock = other.createStatement()) {
            lock.execute("BEGIN EXCLUSIVE");
            StartupException refused = assertThrows(StartupException.class, () -> Database.open(file, Migrations.all()));
            assertTrue(refused.getMessage().contains("locked"), refused.getMessage());
            assertTrue(refused.remedy().contains("second rigdeskd"), refused.remedy());
            lock.execute("ROLLBACK");
        }
        Database.open(file, Migrations.all()).close(); // and fine once the lock is gone
    }

    @Test
    void aCorruptFileIsAClearErrorNotANewEmptyDatabase() throws Exception {
        Path file = dir.resolve("rigdesk.db");
        byte[] junk = new byte[8192];
        java.util.Arrays.fill(junk, (byte) 0x5a);
        Files.write(file, junk);
        StartupException e = assertThrows(StartupException.class, () -> Database.open(file, Migrations.all()));
        assertTrue(e.remedy().contains("damaged"), e.remedy());
        assertEquals(8192, Files.size(file), "the damaged file is left as it was");
    }

    private static int count(Database db, String sql) throws Exception {
        return db.with(c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
                r.next();
                return r.getInt(1);
            }
        });
    }
}
