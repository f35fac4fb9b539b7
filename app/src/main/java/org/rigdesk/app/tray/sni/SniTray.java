package org.rigdesk.app.tray.sni;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.rigdesk.app.tray.Tray;
import org.rigdesk.app.tray.TrayIcons;
import org.rigdesk.app.tray.TrayState;

/**
 * The tray as GNOME and KDE want it: a StatusNotifierItem at {@code /StatusNotifierItem} and its
 * com.canonical.dbusmenu at {@code /MenuBar}, under the bus name
 * {@code org.kde.StatusNotifierItem-PID-1}, registered with the StatusNotifierWatcher. Property
 * reads come from the bus's threads and see the state last shown; every change is signalled.
 */
public final class SniTray implements Tray {

    private static final Logger LOG = Logger.getLogger(SniTray.class.getName());
    static final String ITEM_PATH = "/StatusNotifierItem";
    static final String MENU_PATH = "/MenuBar";
    private static final String ITEM_INTERFACE = "org.kde.StatusNotifierItem";
    private static final String MENU_INTERFACE = "com.canonical.dbusmenu";
    private static final int[] ICON_SIZES = {16, 22, 32, 48};

    private final DBusConnection bus;
    private final String busName;
    private final Consumer<String> actions;
    private volatile TrayState state = new TrayState(TrayState.Status.IDLE, "Rigdesk", "Starting", List.of());
    private volatile int revision = 1;

    private SniTray(DBusConnection bus, Consumer<String> actions) {
        this.bus = bus;
        this.actions = actions;
        this.busName = "org.kde.StatusNotifierItem-" + ProcessHandle.current().pid() + "-1";
    }

    /** Exports the item and its menu and registers with the watcher; the bus must have one. */
    public static SniTray start(DBusConnection bus, Consumer<String> actions) throws DBusException {
        SniTray tray = new SniTray(bus, actions);
        bus.requestBusName(tray.busName);
        bus.exportObject(ITEM_PATH, tray.new Item());
        bus.exportObject(MENU_PATH, tray.new Menu());
        bus.getRemoteObject(StatusNotifierWatcher.BUS_NAME, StatusNotifierWatcher.PATH, StatusNotifierWatcher.class,
                false).RegisterStatusNotifierItem(tray.busName);
        return tray;
    }

    public String busName() {
        return busName;
    }

    @Override
    public String kind() {
        return "StatusNotifierItem";
    }

    @Override
    public void show(TrayState next) {
        TrayState previous = state;
        state = next;
        if (!next.menu().equals(previous.menu())) {
            revision++;
            send(() -> new DbusMenu.LayoutUpdated(MENU_PATH, new UInt32(revision), 0));
        }
        if (next.status() != previous.status()) {
            send(() -> new StatusNotifierItem.NewStatus(ITEM_PATH, itemStatus(next)));
            send(() -> new StatusNotifierItem.NewIcon(ITEM_PATH));
        }
        if (!next.tooltip().equals(previous.tooltip())) {
            send(() -> new StatusNotifierItem.NewToolTip(ITEM_PATH));
        }
        if (!next.title().equals(previous.title())) {
            send(() -> new StatusNotifierItem.NewTitle(ITEM_PATH));
        }
    }

    private interface SignalMaker {
        DBusSignal make() throws DBusException;
    }

    private void send(SignalMaker signal) {
        try {
            bus.sendMessage(signal.make());
        } catch (DBusException | RuntimeException e) {
            LOG.fine(() -> "tray signal not sent: " + e);
        }
    }

    static String itemStatus(TrayState state) {
        return state.status() == TrayState.Status.ATTENTION ? "NeedsAttention" : "Active";
    }

    private static List<Pixmap> pixmaps(TrayState.Status status) {
        List<Pixmap> icons = new ArrayList<>();
        for (int size : ICON_SIZES) {
            icons.add(new Pixmap(size, size, TrayIcons.argbBytes(status, size)));
        }
        return icons;
    }

    Map<String, Variant<?>> itemProperties() {
        TrayState now = state;
        Map<String, Variant<?>> properties = new LinkedHashMap<>();
        properties.put("Category", new Variant<>("ApplicationStatus"));
        properties.put("Id", new Variant<>("rigdesk"));
        properties.put("Title", new Variant<>(now.title()));
        properties.put("Status", new Variant<>(itemStatus(now)));
        properties.put("WindowId", new Variant<>(0));
        properties.put("IconName", new Variant<>(""));
        properties.put("IconPixmap", new Variant<>(pixmaps(now.status()), "a(iiay)"));
        properties.put("OverlayIconName", new Variant<>(""));
        properties.put("OverlayIconPixmap", new Variant<>(List.of(), "a(iiay)"));
        properties.put("AttentionIconName", new Variant<>(""));
        properties.put("AttentionIconPixmap", new Variant<>(pixmaps(TrayState.Status.ATTENTION), "a(iiay)"));
        properties.put("AttentionMovieName", new Variant<>(""));
        properties.put("ToolTip", new Variant<>(new ToolTip("", pixmaps(now.status()), DbusNotifier.plain(now.title()),
                // The description is markup to the host (KDE renders it): alerts carry job names and GitHub's words.
                DbusNotifier.markupSafe(now.tooltip())),
                ToolTip.SIGNATURE));
        properties.put("ItemIsMenu", new Variant<>(false));
        properties.put("Menu", new Variant<>(new DBusPath(MENU_PATH)));
        return properties;
    }

    /** The menu as dbusmenu items: id 0 is the root, its children are 1..n in order. */
    DbusMenu.Layout layout() {
        List<Variant<?>> children = new ArrayList<>();
        List<TrayState.MenuItem> items = state.menu();
        for (int i = 0; i < items.size(); i++) {
            children.add(new Variant<>(new DbusMenu.Layout(i + 1, itemProperties(items.get(i)), List.of()),
                    DbusMenu.LAYOUT_SIGNATURE));
        }
        Map<String, Variant<?>> root = new LinkedHashMap<>();
        root.put("children-display", new Variant<>("submenu"));
        return new DbusMenu.Layout(0, root, children);
    }

    private static Map<String, Variant<?>> itemProperties(TrayState.MenuItem item) {
        Map<String, Variant<?>> properties = new LinkedHashMap<>();
        if (item.isSeparator()) {
            properties.put("type", new Variant<>("separator"));
        } else {
            properties.put("label", new Variant<>(item.label()));
            properties.put("enabled", new Variant<>(item.enabled() && item.action() != null));
        }
        properties.put("visible", new Variant<>(true));
        return properties;
    }

    private void clicked(int id) {
        List<TrayState.MenuItem> items = state.menu();
        if (id >= 1 && id <= items.size()) {
            TrayState.MenuItem item = items.get(id - 1);
            if (item.enabled() && item.action() != null) {
                actions.accept(item.action());
            }
        }
    }

    @Override
    public void close() {
        try {
            bus.unExportObject(ITEM_PATH);
            bus.unExportObject(MENU_PATH);
            bus.releaseBusName(busName);
        } catch (DBusException | RuntimeException e) {
            LOG.fine(() -> "tray close: " + e);
        }
        bus.disconnect();
    }

    /** Properties.Get answers with the property's value; dbus-java sends it as a variant. */
    @SuppressWarnings("unchecked")
    private static <A> A property(Map<String, Variant<?>> all, String iface, String expected, String name) {
        if (!expected.equals(iface)) {
            throw new org.freedesktop.dbus.errors.UnknownInterface("no interface " + iface);
        }
        Variant<?> value = all.get(name);
        if (value == null) {
            throw new org.freedesktop.dbus.errors.UnknownProperty("no property " + name);
        }
        return (A) value;
    }

    /** The Properties interface of an object whose properties are all read-only. */
    private abstract static class ReadOnlyProperties implements Properties {
        abstract String interfaceName();

        abstract Map<String, Variant<?>> all();

        @Override
        public <A> A Get(String iface, String name) {
            return property(all(), iface, interfaceName(), name);
        }

        @Override
        public <A> void Set(String iface, String name, A value) {
            throw new org.freedesktop.dbus.errors.PropertyReadOnly(name + " is read-only");
        }

        @Override
        public Map<String, Variant<?>> GetAll(String iface) {
            return interfaceName().equals(iface) ? all() : Map.of();
        }
    }

    private final class Item extends ReadOnlyProperties implements StatusNotifierItem {
        @Override
        String interfaceName() {
            return ITEM_INTERFACE;
        }

        @Override
        Map<String, Variant<?>> all() {
            return itemProperties();
        }

        @Override
        public void Activate(int x, int y) {
            actions.accept("open");
        }

        @Override
        public void SecondaryActivate(int x, int y) {
            actions.accept("open");
        }

        @Override
        public void ContextMenu(int x, int y) {
            // the host shows the dbusmenu itself
        }

        @Override
        public void Scroll(int delta, String orientation) {
        }


        @Override
        public String getObjectPath() {
            return ITEM_PATH;
        }
    }

    private final class Menu extends ReadOnlyProperties implements DbusMenu {
        @Override
        String interfaceName() {
            return MENU_INTERFACE;
        }

        @Override
        Map<String, Variant<?>> all() {
            Map<String, Variant<?>> properties = new LinkedHashMap<>();
            properties.put("Version", new Variant<>(new UInt32(3)));
            properties.put("TextDirection", new Variant<>("ltr"));
            properties.put("Status", new Variant<>("normal"));
            properties.put("IconThemePath", new Variant<>(List.of(), "as"));
            return properties;
        }

        @Override
        public LayoutReply<UInt32, Layout> GetLayout(int parentId, int recursionDepth, List<String> propertyNames) {
            DbusMenu.Layout all = layout();
            if (parentId == 0) {
                return new LayoutReply<>(new UInt32(revision), all);
            }
            for (Variant<?> child : all.children) {
                DbusMenu.Layout item = (DbusMenu.Layout) child.getValue();
                if (item.id == parentId) {
                    return new LayoutReply<>(new UInt32(revision), item);
                }
            }
            throw new org.freedesktop.dbus.errors.InvalidMethodArgument("no menu item " + parentId);
        }

        @Override
        public List<ItemProperties> GetGroupProperties(List<Integer> ids, List<String> propertyNames) {
            List<ItemProperties> found = new ArrayList<>();
            List<TrayState.MenuItem> items = state.menu();
            for (int id : ids) {
                if (id >= 1 && id <= items.size()) {
                    found.add(new ItemProperties(id, itemProperties(items.get(id - 1))));
                }
            }
            return found;
        }

        @Override
        public Variant<?> GetProperty(int id, String name) {
            List<TrayState.MenuItem> items = state.menu();
            if (id < 1 || id > items.size() || !itemProperties(items.get(id - 1)).containsKey(name)) {
                throw new org.freedesktop.dbus.errors.InvalidMethodArgument("no property " + name + " on item " + id);
            }
            return itemProperties(items.get(id - 1)).get(name);
        }

        @Override
        public void Event(int id, String eventId, Variant<?> data, UInt32 timestamp) {
            if ("clicked".equals(eventId)) {
                clicked(id);
            }
        }

        @Override
        public List<Integer> EventGroup(List<EventInfo> events) {
            List<Integer> errors = new ArrayList<>();
            for (EventInfo event : events) {
                if (event.id < 0 || event.id > state.menu().size()) {
                    errors.add(event.id);
                } else if ("clicked".equals(event.eventId)) {
                    clicked(event.id);
                }
            }
            return errors;
        }

        @Override
        public boolean AboutToShow(int id) {
            return false;
        }

        @Override
        public AboutToShowReply<List<Integer>, List<Integer>> AboutToShowGroup(List<Integer> ids) {
            return new AboutToShowReply<>(List.of(), List.of());
        }


        @Override
        public String getObjectPath() {
            return MENU_PATH;
        }
    }
}
