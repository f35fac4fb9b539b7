package org.rigdesk.app.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.testkit.DaemonProcess;

/** The connection logic against a real daemon, without the FX thread (the UI executor runs inline). */
class ConnectionViewModelTest {

    @TempDir
    Path dir;
    private final ScheduledThreadPoolExecutor background = new ScheduledThreadPoolExecutor(1);
    private DaemonClient client;
    private ConnectionViewModel model;

    @AfterEach
    void tearDown() {
        if (model != null) {
            model.stop();
        }
        background.shutdownNow();
        if (client != null) {
            client.close();
        }
    }

    private ConnectionViewModel connect(Path socket) {
        client = new DaemonClient(socket);
        model = new ConnectionViewModel(client, background, Runnable::run, (type, data) -> { });
        model.start();
        return model;
    }

    @Test
    void connectsAndExposesInfo() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(dir).start()) {
            ConnectionViewModel connection = connect(daemon.socket());
            await(() -> connection.stateProperty().get() == ConnectionState.CONNECTED);
            assertEquals(daemon.process().pid(), connection.infoProperty().get().pid());
            assertTrue(connection.detailProperty().get().contains(daemon.socket().toString()));
            assertEquals("", connection.remedyProperty().get());
        }
    }

    @Test
    void noDaemonSaysSoWithARemedyThenConnectsWhenItStarts() throws Exception {
        DaemonProcess daemon = new DaemonProcess(dir);
        ConnectionViewModel connection = connect(daemon.socket());
        await(() -> connection.stateProperty().get() == ConnectionState.DAEMON_NOT_RUNNING);
        assertTrue(connection.remedyProperty().get().contains("systemctl start rigdeskd"),
                connection.remedyProperty().get());
        try (DaemonProcess started = daemon.start()) {
            await(() -> connection.stateProperty().get() == ConnectionState.CONNECTED);
            assertEquals(started.process().pid(), connection.infoProperty().get().pid());
        }
    }

    @Test
    void aDaemonRestartIsNoticedAndRecoveredFrom() throws Exception {
        DaemonProcess daemon = new DaemonProcess(dir).start();
        ConnectionViewModel connection = connect(daemon.socket());
        await(() -> connection.stateProperty().get() == ConnectionState.CONNECTED);
        long firstPid = connection.infoProperty().get().pid();
        daemon.stop();
        await(() -> connection.stateProperty().get() != ConnectionState.CONNECTED);
        try (DaemonProcess again = new DaemonProcess(dir).start()) {
            await(() -> connection.stateProperty().get() == ConnectionState.CONNECTED
                    && connection.infoProperty().get().pid() != firstPid);
            assertEquals(again.process().pid(), connection.infoProperty().get().pid());
        }
    }

    @Test
    void backoffGrowsAndIsCapped() {
        assertEquals(ConnectionViewModel.FIRST_RETRY, ConnectionViewModel.delay(1));
        assertEquals(ConnectionViewModel.FIRST_RETRY.multipliedBy(2), ConnectionViewModel.delay(2));
        assertEquals(ConnectionViewModel.MAX_RETRY, ConnectionViewModel.delay(50));
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(20);
        }
    }
}
