package org.rigdesk.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.logging.Logger;
import org.rigdesk.daemon.api.ApiServer;
import org.rigdesk.daemon.api.EventsEndpoint;
import org.rigdesk.daemon.api.Router;
import org.rigdesk.daemon.events.EventHub;
import org.rigdesk.daemon.host.HostChecks;
import org.rigdesk.daemon.host.InfoService;
import java.sql.SQLException;
import org.rigdesk.daemon.settings.SettingsRoutes;
import org.rigdesk.daemon.settings.SettingsService;
import org.rigdesk.daemon.store.AuditRoutes;
import org.rigdesk.daemon.store.AuditStore;
import org.rigdesk.daemon.store.Database;
import org.rigdesk.daemon.store.Migrations;

/** Wires the daemon's parts together; {@link #start()} and {@link #close()} are its whole life. */
public class Daemon implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Daemon.class.getName());

    private final DaemonConfig config;
    private final EventHub events = new EventHub();
    private Database database;
    private ApiServer server;

    public Daemon(DaemonConfig config) {
        this.config = config;
    }

    public void start() throws StartupException {
        Router router = new Router();
        server = new ApiServer(config.socket(), config.socketGroup(), router);
        server.claim();
        prepareStateDir();
        database = Database.open(config.database(), Migrations.all());
        InfoService info = new InfoService(config, HostChecks.forHost(config.sysfsRoot()));
        AuditStore audit = new AuditStore(database);
        SettingsService settings;
        try {
            settings = new SettingsService(database);
        } catch (SQLException e) {
            database.close();
            throw new StartupException("cannot read settings: " + e.getMessage(), "check the state database", e);
        }
        router.add("GET", "/v1/info", exchange -> exchange.json(200, info.info()))
                .add("GET", "/v1/events", new EventsEndpoint(events, config.heartbeat()));
        SettingsRoutes.register(router, settings, audit, events);
        AuditRoutes.register(router, audit);
        try {
            server.start();
        } catch (StartupException e) {
            database.close();
            throw e;
        }
        LOG.info(() -> "rigdeskd " + Version.get() + " ready (state " + config.stateDir() + ", sysfs "
                + config.sysfsRoot() + (config.simulated() ? ", simulated" : "") + ")");
    }

    public EventHub events() {
        return events;
    }

    public Database database() {
        return database;
    }

    private void prepareStateDir() throws StartupException {
        try {
            if (!Files.isDirectory(config.stateDir())) {
                Files.createDirectories(config.stateDir(),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new StartupException("cannot create the state directory " + config.stateDir() + ": " + e.getMessage(),
                    "run as root, or pass --state-dir with a directory you can write", e);
        }
        if (!Files.isWritable(config.stateDir())) {
            throw new StartupException("the state directory " + config.stateDir() + " is not writable",
                    "run as root, or pass --state-dir with a directory you can write");
        }
    }

    @Override
    public void close() {
        events.close();
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
        LOG.info("stopped");
    }
}
