package org.rigdesk.app.tray.sni;

import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.Tuple;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/** {@code com.canonical.dbusmenu}: the tray item's menu, as a tree of (id, properties, children). */
@DBusInterfaceName("com.canonical.dbusmenu")
public interface DbusMenu extends DBusInterface {

    /** {@code (ia{sv}av)}: an item, its properties, and its children as variants of the same type. */
    String LAYOUT_SIGNATURE = "(ia{sv}av)";

    LayoutReply<UInt32, Layout> GetLayout(int parentId, int recursionDepth, List<String> propertyNames);

    List<ItemProperties> GetGroupProperties(List<Integer> ids, List<String> propertyNames);

    Variant<?> GetProperty(int id, String name);

    void Event(int id, String eventId, Variant<?> data, UInt32 timestamp);

    List<Integer> EventGroup(List<EventInfo> events);

    boolean AboutToShow(int id);

    AboutToShowReply<List<Integer>, List<Integer>> AboutToShowGroup(List<Integer> ids);

    /** An item of the layout tree. */
    class Layout extends Struct {
        @Position(0)
        public final int id;
        @Position(1)
        public final Map<String, Variant<?>> properties;
        @Position(2)
        public final List<Variant<?>> children;

        public Layout(int id, Map<String, Variant<?>> properties, List<Variant<?>> children) {
            this.id = id;
            this.properties = properties;
            this.children = children;
        }
    }

    /**
     * GetLayout's two out-arguments: the revision and the tree. Generic because dbus-java reads a
     * tuple's D-Bus types from the method's type arguments.
     */
    class LayoutReply<R, L> extends Tuple {
        @Position(0)
        public final R revision;
        @Position(1)
        public final L layout;

        public LayoutReply(R revision, L layout) {
            this.revision = revision;
            this.layout = layout;
        }
    }

    class ItemProperties extends Struct {
        @Position(0)
        public final int id;
        @Position(1)
        public final Map<String, Variant<?>> properties;

        public ItemProperties(int id, Map<String, Variant<?>> properties) {
            this.id = id;
            this.properties = properties;
        }
    }

    class EventInfo extends Struct {
        @Position(0)
        public final int id;
        @Position(1)
        public final String eventId;
        @Position(2)
        public final Variant<?> data;
        @Position(3)
        public final UInt32 timestamp;

        public EventInfo(int id, String eventId, Variant<?> data, UInt32 timestamp) {
            this.id = id;
            this.eventId = eventId;
            this.data = data;
            this.timestamp = timestamp;
        }
    }

    class AboutToShowReply<U, E> extends Tuple {
        @Position(0)
        public final U updatesNeeded;
        @Position(1)
        public final E idErrors;

        public AboutToShowReply(U updatesNeeded, E idErrors) {
            this.updatesNeeded = updatesNeeded;
            this.idErrors = idErrors;
        }
    }

    class LayoutUpdated extends DBusSignal {
        public final UInt32 revision;
        public final int parent;

        public LayoutUpdated(String path, UInt32 revision, int parent) throws DBusException {
            super(path, revision, parent);
            this.revision = revision;
            this.parent = parent;
        }
    }
}
