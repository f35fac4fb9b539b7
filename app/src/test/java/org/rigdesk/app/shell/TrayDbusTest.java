package org.rigdesk.app.shell;

import org.rigdesk.app.ui.EventDispatcher;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.prefs.Preferences;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.Json;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.app.settings.AppPreferences;
import org.rigdesk.app.tray.DesktopAlerts;
import org.rigdesk.app.tray.Trays;
import org.rigdesk.app.tray.sni.DbusMenu;
import org.rigdesk.app.tray.sni.Notifications;
import org.rigdesk.app.tray.sni.SniTray;
import org.rigdesk.app.tray.sni.StatusNotifierItem;
import org.rigdesk.app.tray.sni.StatusNotifierWatcher;

/**
 * The tray and notifications on a real session bus: the test starts {@code dbus-daemon}, plays
 * the desktop (StatusNotifierWatcher and notification server), and reads what the app publishes
 * the way a tray host does: properties, the dbusmenu layout, clicks, signals and Notify calls.
 */
class TrayDbusTest {

    @TempDir
    Path dir;
    private Process daemon;
    private String address;
    private DBusConnection desktop;
    private final List<String> registered = new CopyOnWriteArrayList<>();
    private final List<Object[]> notified = new CopyOnWriteArrayList<>();
    private final List<String> statusSignals = new CopyOnWriteArrayList<>();
    private Preferences node;

    @BeforeEach
    void startBus() throws Exception {
        daemon = new ProcessBuilder("dbus-daemon", "--session", "--nofork", "--nopidfile",
                "--address=unix:path=" + dir.resolve("bus"), "--print-address=1").redirectErrorStream(true).start();
        address = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertTrue(address != null && address.startsWith("unix:"), "dbus-daemon printed " + address);
        desktop = DBusConnectionBuilder.forAddress(address).withShared(false).build();
        desktop.requestBusName(StatusNotifierWatcher.BUS_NAME);
        desktop.exportObject(StatusNotifierWatcher.PATH, new Watcher());
        desktop.requestBusName(Notifications.BUS_NAME);
        desktop.exportObject(Notifications.PATH, new NotificationServer());
        desktop.addSigHandler(StatusNotifierItem.NewStatus.class, signal -> statusSignals.add(signal.status));
        node = Preferences.userRoot().node("org/rigdesk/test/tray-" + System.nanoTime());
    }

    @AfterEach
    void stopBus() throws Exception {
        desktop.disconnect();
        daemon.destroy();
        daemon.waitFor(5, TimeUnit.SECONDS);
        node.removeNode();
    }

    @Test
    void theTrayPublishesStateAndMenuAndTheAppNotifies() throws Exception {
        List<String> actions = new CopyOnWriteArrayList<>();
        try (Trays.Desktop opened = Trays.open(address, false, actions::add)) {
            assertEquals("StatusNotifierItem", opened.tray().kind());
            assertEquals("org.freedesktop.Notifications", opened.notifier().kind());
            String item = ((SniTray) opened.tray()).busName();
            assertTrue(item.matches("org\\.kde\\.StatusNotifierItem-\\d+-1"), item);
            await(() -> registered.contains(item), "the item registers with the watcher");

            ObservableList<Job> jobs = FXCollections.observableArrayList();
            SimpleObjectProperty<RunnerStatus> runner = new SimpleObjectProperty<>(runnerStatus());
            AppPreferences preferences = new AppPreferences(node);
            TrayController controller = new TrayController(opened.tray(), opened.notifier(), preferences,
                    new DesktopAlerts(java.time.Clock.systemUTC()), jobs, runner);
            EventDispatcher events = new EventDispatcher(Runnable::run);
            controller.listen(events);
            controller.connection(true);

            Properties properties = desktop.getRemoteObject(item, "/StatusNotifierItem", Properties.class, false);
            assertEquals("Active", value(properties.Get("org.kde.StatusNotifierItem", "Status")));
            assertEquals("rigdesk", value(properties.Get("org.kde.StatusNotifierItem", "Id")));
            assertEquals("ApplicationStatus", value(properties.Get("org.kde.StatusNotifierItem", "Category")));
            assertEquals("/MenuBar", String.valueOf(value(properties.Get("org.kde.StatusNotifierItem", "Menu"))));
            Map<String, Variant<?>> all = properties.GetAll("org.kde.StatusNotifierItem");
            assertTrue(all.keySet().containsAll(List.of("IconPixmap", "ToolTip", "Title", "ItemIsMenu")), all.keySet()
                    .toString());
            assertEquals("a(iiay)", all.get("IconPixmap").getSig());

            DbusMenu menu = desktop.getRemoteObject(item, "/MenuBar", DbusMenu.class, false);
            assertEquals(List.of("Open Rigdesk", "-", "No jobs running", "-", "Pause runner", "Quit Rigdesk"),
                    labels(menu));

            jobs.add(job(7, JobState.RUNNING.wire(), null));
            assertTrue(labels(menu).contains("● #7 whisper medium · Running"), labels(menu).toString());
            assertEquals("Rigdesk — 1 job running", value(properties.Get("org.kde.StatusNotifierItem", "Title")));
            menu.Event(index(menu, "● #7 whisper medium · Running"), "clicked", new Variant<>(""), new UInt32(0));
            menu.Event(index(menu, "Pause runner"), "clicked", new Variant<>(""), new UInt32(0));
            menu.Event(999, "clicked", new Variant<>(""), new UInt32(0)); // no such item: nothing happens
            menu.Event(2, "clicked", new Variant<>(""), new UInt32(0)); // a separator: nothing happens
            desktop.getRemoteObject(item, "/StatusNotifierItem", StatusNotifierItem.class, false).Activate(0, 0);
            await(() -> actions.size() >= 3, "clicks arrive");
            assertEquals(List.of("job:7", "pause", "open"), actions);

            // The job fails: a critical notification, and the tray asks for attention.
            // Its reason holds markup (names come from jobs): the body shows it as text.
            events.accept("job", Json.mapper().writeValueAsString(job(7, JobState.FAILED.wire(),
                    "exit code 1 <a href=\"https://evil.example\">details</a> & more")));
            events.flush();
            await(() -> notified.size() == 1, "a notification is sent");
            assertEquals("✗ Job failed", notified.get(0)[0]);
            String body = (String) notified.get(0)[1];
            assertTrue(body.contains("exit code 1 &lt;a href=\"https://evil.example\"&gt;details&lt;/a&gt; &amp; more"),
                    body);
            assertFalse(body.contains("<"), body);
            assertEquals((byte) 2, notified.get(0)[2], "urgency critical");
            assertEquals("NeedsAttention", value(properties.Get("org.kde.StatusNotifierItem", "Status")));
            // The tooltip's description is markup to KDE: a job named in markup shows there as text.
            events.accept("job", Json.mapper().writeValueAsString(job(9, JobState.FAILED.wire(), "exit code 1",
                    "<img src=x>train & <b>ship</b>")));
            events.flush();
            String tooltip = tooltipDescription(properties.Get("org.kde.StatusNotifierItem", "ToolTip"));
            assertTrue(tooltip.contains("#9 &lt;img src=x&gt;train &amp; &lt;b&gt;ship&lt;/b&gt;"), tooltip);
            assertFalse(tooltip.contains("<"), tooltip);
            await(() -> notified.size() == 2, "the second failure is notified");
            notified.remove(1);
            await(() -> statusSignals.contains("NeedsAttention"), "NewStatus is signalled");
            controller.seen();
            assertEquals("Active", value(properties.Get("org.kde.StatusNotifierItem", "Status")));

            // Categories switched off in Settings stay quiet; the daemon lost is still said.
            preferences.notify(DesktopAlerts.JOBS, false);
            events.accept("job", Json.mapper().writeValueAsString(job(8, JobState.FAILED.wire(), "exit code 2")));
            events.flush();
            controller.connection(false);
            await(() -> notified.size() == 2, "the lost daemon is notified");
            assertEquals("rigdeskd lost", notified.get(1)[0]);
            assertTrue(labels(menu).contains("Pause runner"));
        }
        await(() -> !registeredOwnerAlive(), "the item leaves the bus when the app closes");
    }

    private boolean registeredOwnerAlive() {
        try {
            return desktop.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus",
                    org.freedesktop.dbus.interfaces.DBus.class, false).NameHasOwner(registered.get(0));
        } catch (Exception e) {
            return false;
        }
    }

    /** The labels of the root's children, "-" for a separator, as a tray host lists them. */
    private static List<String> labels(DbusMenu menu) {
        List<String> labels = new ArrayList<>();
        for (Object[] child : children(menu)) {
            @SuppressWarnings("unchecked")
            Map<String, Variant<?>> props = (Map<String, Variant<?>>) child[1];
            labels.add(props.containsKey("type") ? "-" : String.valueOf(props.get("label").getValue()));
        }
        return labels;
    }

    private static int index(DbusMenu menu, String label) {
        for (Object[] child : children(menu)) {
            @SuppressWarnings("unchecked")
            Map<String, Variant<?>> props = (Map<String, Variant<?>>) child[1];
            if (props.containsKey("label") && label.equals(props.get("label").getValue())) {
                return (Integer) child[0];
            }
        }
        throw new AssertionError("no menu item " + label);
    }

    /** Each child as (id, properties), whichever form the variant's struct arrives in. */
    private static List<Object[]> children(DbusMenu menu) {
        DbusMenu.LayoutReply<UInt32, DbusMenu.Layout> reply = menu.GetLayout(0, -1, List.of());
        List<Object[]> children = new ArrayList<>();
        for (Variant<?> child : reply.layout.children) {
            Object value = child.getValue();
            if (value instanceof DbusMenu.Layout layout) {
                children.add(new Object[] {layout.id, layout.properties});
            } else {
                children.add((Object[]) value);
            }
        }
        return children;
    }

    /** The fourth member of the ToolTip struct (sa(iiay)ss), whichever form it arrives in. */
    private static String tooltipDescription(Object property) {
        Object tooltip = value(property);
        if (tooltip instanceof org.rigdesk.app.tray.sni.ToolTip struct) {
            return struct.description;
        }
        return String.valueOf(((Object[]) tooltip)[3]);
    }

    private static Object value(Object property) {
        return property instanceof Variant<?> variant ? variant.getValue() : property;
    }

    private static RunnerStatus runnerStatus() {
        return new RunnerStatus(true, "octo/gpu-ci", "https://github.com/octo/gpu-ci", "https://api.github.com",
                List.of(), "rigdesk", 1, 1, 1, "…1234", List.of(), null, null, "running", false, "rigdesk-ws-", 2, 2048,
                List.of(), null, "open", List.of(), 15, List.of(), null, List.of(), "token", null, null, null, "gpu",
                List.of(), null);
    }

    private static Job job(long id, String state, String error) {
        return job(id, state, error, "whisper medium");
    }

    private static Job job(long id, String state, String error, String name) {
        Instant now = Instant.now();
        boolean done = !JobState.RUNNING.wire().equals(state);
        return new Job(id, Job.KIND_LOCAL, name, state, List.of(), false, "qemu", "kvm", 2, 2048, 3600,
                now.minusSeconds(100), now.minusSeconds(90), done ? now : null, done ? 1 : null, 0, error, null, null,
                null, null, null);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within 10 s");
            }
            Thread.sleep(20);
        }
    }

    /** Plays the desktop's StatusNotifierWatcher. */
    private final class Watcher implements StatusNotifierWatcher {
        @Override
        public void RegisterStatusNotifierItem(String service) {
            registered.add(service);
        }

        @Override
        public void RegisterStatusNotifierHost(String service) {
        }

        @Override
        public String getObjectPath() {
            return StatusNotifierWatcher.PATH;
        }
    }

    /** Plays the desktop's notification server, recording summary, body and urgency. */
    private final class NotificationServer implements Notifications {
        @Override
        public UInt32 Notify(String appName, UInt32 replacesId, String appIcon, String summary, String body,
                             List<String> actions, Map<String, Variant<?>> hints, int expireTimeout) {
            notified.add(new Object[] {summary, body, hints.get("urgency").getValue(), appName});
            return new UInt32(notified.size());
        }

        @Override
        public List<String> GetCapabilities() {
            return List.of("body");
        }

        @Override
        public void CloseNotification(UInt32 id) {
        }

        @Override
        public ServerInformation<String, String, String, String> GetServerInformation() {
            return new ServerInformation<>("test", "rigdesk", "1", "1.2");
        }

        @Override
        public String getObjectPath() {
            return Notifications.PATH;
        }
    }
}
