package org.rigdesk.app.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.prefs.Preferences;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.app.settings.AppPreferences;
import org.rigdesk.app.testing.InMemoryRigdesk;
import org.rigdesk.app.tray.DesktopAlerts;
import org.rigdesk.app.tray.Notifier;
import org.rigdesk.app.tray.Tray;
import org.rigdesk.app.tray.TrayModel;
import org.rigdesk.app.tray.TrayState;

/** The tray over several rigs: sums, the other rigs' lines, and every notification naming its rig. */
class TrayFleetTest {

    private final Preferences node = Preferences.userRoot().node("rigdesk-test-" + System.nanoTime());
    private final List<TrayState> shown = new ArrayList<>();
    private final List<String> sent = new ArrayList<>();

    @AfterEach
    void forget() throws Exception {
        node.removeNode();
    }

    private TrayController controller(ObservableList<Job> jobs) {
        Tray tray = new Tray() {
            @Override
            public String kind() {
                return "test";
            }

            @Override
            public void show(TrayState state) {
                shown.add(state);
            }

            @Override
            public void close() {
            }
        };
        Notifier notifier = new Notifier() {
            @Override
            public String kind() {
                return "test";
            }

            @Override
            public void send(String summary, String body, boolean critical) {
                sent.add(summary + " | " + body);
            }
        };
        return new TrayController(tray, notifier, new AppPreferences(node),
                new DesktopAlerts(java.time.Clock.systemUTC()), jobs, new SimpleObjectProperty<>(RunnerStatus.unregistered()));
    }

    @Test
    void jobsAnywhereMakeTheTrayBusyAndAnUnreachableRigAsksForALook() {
        ObservableList<Job> jobs = FXCollections.observableArrayList(
                InMemoryRigdesk.job(5, JobState.RUNNING.wire(), List.of()));
        TrayController tray = controller(jobs);
        tray.connection(true);
        tray.fleet(() -> new TrayModel.Fleet("local", List.of(new TrayModel.Rig("lab", 2, null))));
        TrayState busy = shown.get(shown.size() - 1);
        assertEquals(TrayState.Status.BUSY, busy.status());
        assertEquals("3 jobs running on 2 rigs", busy.tooltip());
        assertTrue(busy.menu().stream().anyMatch(m -> m.label().equals("On lab: 2 jobs running")
                && "fleet".equals(m.action())), busy.menu().toString());

        tray.fleet(() -> new TrayModel.Fleet("local", List.of(new TrayModel.Rig("lab", 0, "unreachable"))));
        TrayState look = shown.get(shown.size() - 1);
        assertEquals(TrayState.Status.ATTENTION, look.status());
        assertEquals("lab: unreachable", look.tooltip());
    }

    @Test
    void withSeveralRigsEveryNotificationNamesItsRig() {
        ObservableList<Job> jobs = FXCollections.observableArrayList();
        TrayController tray = controller(jobs);
        tray.connection(true);
        sent.clear();
        tray.fleet(() -> new TrayModel.Fleet("lab", List.of(new TrayModel.Rig("local", 0, null))));
        tray.refused("0000:01:00.0", "held by job 7");
        tray.rigReach("office", false, "ssh: connect to host office port 22: Connection refused");
        assertEquals(2, sent.size(), sent.toString());
        assertTrue(sent.get(0).startsWith("lab · "), sent.get(0));
        assertTrue(sent.get(1).startsWith("Rig office is unreachable | ssh: connect to host office"), sent.get(1));
    }
}
