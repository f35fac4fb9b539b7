package org.rigdesk.app.tray.sni;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.rigdesk.app.tray.Notifier;

/** Notifications through the session bus's notification server (GNOME Shell, Plasma, dunst, mako…). */
public final class DbusNotifier implements Notifier {

    private static final Logger LOG = Logger.getLogger(DbusNotifier.class.getName());
    private static final byte NORMAL = 1;
    private static final byte CRITICAL = 2;

    private final Notifications server;

    private DbusNotifier(Notifications server) {
        this.server = server;
    }

    public static DbusNotifier connect(DBusConnection bus) throws DBusException {
        return new DbusNotifier(bus.getRemoteObject(Notifications.BUS_NAME, Notifications.PATH, Notifications.class,
                false));
    }

    @Override
    public String kind() {
        return "org.freedesktop.Notifications";
    }

    @Override
    public void send(String summary, String body, boolean critical) {
        Map<String, Variant<?>> hints = new LinkedHashMap<>();
        hints.put("urgency", new Variant<>(critical ? CRITICAL : NORMAL));
        hints.put("desktop-entry", new Variant<>("rigdesk"));
        hints.put("category", new Variant<>(critical ? "device.error" : "device"));
        try {
            server.Notify("Rigdesk", new UInt32(0), "", plain(summary), markupSafe(body), List.of(), hints, -1);
        } catch (RuntimeException e) {
            LOG.fine(() -> "notification not shown: " + e);
        }
    }

    /**
     * A body as text in the spec's markup (servers render <b>, <a href>, <img>): names in it come
     * from jobs, and a workflow called {@code <a href=…>} must read as those characters.
     */
    static String markupSafe(String body) {
        return plain(body).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Control characters (but line breaks) shown as '?'. */
    static String plain(String text) {
        return text == null ? "" : text.replaceAll("[\\p{Cntrl}&&[^\\n]]", "?");
    }
}
