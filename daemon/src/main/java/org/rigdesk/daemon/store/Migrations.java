package org.rigdesk.daemon.store;

import java.util.List;

/** The schema, as the ordered list of steps that build it. Append only. */
public final class Migrations {

    private Migrations() {
    }

    public static List<Migration> all() {
        return List.of(
                new Migration(1, "settings and audit log", """
                        CREATE TABLE settings (
                            key   TEXT PRIMARY KEY,
                            value TEXT NOT NULL
                        );
                        CREATE TABLE audit (
                            id      INTEGER PRIMARY KEY AUTOINCREMENT,
                            at      TEXT NOT NULL,
                            caller  TEXT NOT NULL,
                            action  TEXT NOT NULL,
                            target  TEXT,
                            outcome TEXT NOT NULL,
                            detail  TEXT
                        );
                        CREATE INDEX audit_at ON audit(at);
                        """),
                new Migration(2, "desired GPU modes", """
                        CREATE TABLE gpu_modes (
                            bdf          TEXT PRIMARY KEY,
                            vendor_id    TEXT NOT NULL,
                            device_id    TEXT NOT NULL,
                            desired_mode TEXT NOT NULL CHECK (desired_mode IN ('host', 'vfio')),
                            updated_at   TEXT NOT NULL
                        );
                        """),
                new Migration(3, "telemetry minute aggregates", """
                        CREATE TABLE telemetry_minutes (
                            bdf       TEXT NOT NULL,
                            minute    INTEGER NOT NULL,
                            samples   INTEGER NOT NULL,
                            util_min  REAL, util_avg  REAL, util_max  REAL,
                            mem_min   REAL, mem_avg   REAL, mem_max   REAL,
                            temp_min  REAL, temp_avg  REAL, temp_max  REAL,
                            power_min REAL, power_avg REAL, power_max REAL,
                            PRIMARY KEY (bdf, minute)
                        );
                        CREATE INDEX telemetry_minutes_minute ON telemetry_minutes(minute);
                        """),
                new Migration(4, "jobs", """
                        CREATE TABLE jobs (
                            id         INTEGER PRIMARY KEY AUTOINCREMENT,
                            state      TEXT NOT NULL,
                            created_at TEXT NOT NULL,
                            job        TEXT NOT NULL
                        );
                        CREATE INDEX jobs_state ON jobs(state);
                        """),
                new Migration(5, "runner registration", """
                        CREATE TABLE runner_registration (
                            id            INTEGER PRIMARY KEY CHECK (id = 1),
                            registration  TEXT NOT NULL,
                            registered_at TEXT NOT NULL
                        );
                        """),
                new Migration(6, "job network egress logs", """
                        CREATE TABLE job_network (
                            job_id INTEGER PRIMARY KEY,
                            log    TEXT NOT NULL
                        );
                        """),
                new Migration(7, "GPU lending policies", """
                        CREATE TABLE gpu_lending (
                            bdf          TEXT PRIMARY KEY,
                            policy       TEXT NOT NULL,
                            schedule     TEXT NOT NULL,
                            idle_seconds INTEGER NOT NULL,
                            updated_at   TEXT NOT NULL
                        );
                        """),
                new Migration(8, "persistent caches", """
                        CREATE TABLE caches (
                            name            TEXT PRIMARY KEY,
                            gid             INTEGER NOT NULL UNIQUE,
                            cap_bytes       INTEGER NOT NULL,
                            created_at      TEXT NOT NULL,
                            last_used       TEXT,
                            last_commit     TEXT,
                            last_commit_job INTEGER
                        );
                        CREATE TABLE cache_uses (
                            job_id  INTEGER PRIMARY KEY,
                            cache   TEXT NOT NULL,
                            outcome TEXT NOT NULL,
                            reason  TEXT,
                            at      TEXT NOT NULL
                        );
                        """),
                new Migration(9, "cache hits: whether a job found a kept cache, and what it wrote", """
                        ALTER TABLE cache_uses ADD COLUMN warm INTEGER;
                        ALTER TABLE cache_uses ADD COLUMN written_bytes INTEGER;
                        """));
    }
}
