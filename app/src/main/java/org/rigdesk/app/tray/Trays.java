package org.rigdesk.app.tray;

import java.awt.GraphicsEnvironment;
import java.awt.SystemTray;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.interfaces.DBus;
import org.rigdesk.app.tray.sni.DbusNotifier;
import org.rigdesk.app.tray.sni.Notifications;
import org.rigdesk.app.tray.sni.SniTray;
import org.rigdesk.app.tray.sni.StatusNotifierWatcher;

/**
 * Picks the tray and the notifier this desktop supports: StatusNotifierItem when the session bus
 * has a StatusNotifierWatcher (KDE; GNOME with the AppIndicator extension), AWT's SystemTray where
 * only XEmbed exists, none otherwise; org.freedesktop.Notifications when a server owns that name,
 * else the AWT tray's messages, else none.
 */
public final class Trays {

    private static final Logger LOG = Logger.getLogger(Trays.class.getName());

    /** The chosen pair; close both when the app ends. */
    public record Desktop(Tray tray, Notifier notifier, DBusConnection bus) implements AutoCloseable {
        @Override
        public void close() {
            tray.close();
            notifier.close();
            if (bus != null) {
                bus.disconnect();
            }
        }
    }

    private Trays() {
    }

    /** {@code busAddress}: the session bus ({@code $DBUS_SESSION_BUS_ADDRESS}), or null for none. */
    public static Desktop open(String busAddress, boolean allowAwt, Consumer<String> actions) {
        DBusConnection bus = null;
        Tray tray = null;
        Notifier notifier = null;
        if (busAddress != null && !busAddress.isBlank()) {
            try {
                bus = DBusConnectionBuilder.forAddress(busAddress).withShared(false).build();
                DBus daemon = bus.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class, false);
                if (daemon.NameHasOwner(StatusNotifierWatcher.BUS_NAME)) {
                    tray = SniTray.start(bus, actions);
                }
                if (daemon.NameHasOwner(Notifications.BUS_NAME)) {
                    notifier = DbusNotifier.connect(bus);
                }
            } catch (Exception e) {
                LOG.info("the session bus cannot be used for the tray: " + e.getMessage());
            }
        }
        if (tray == null && allowAwt && !GraphicsEnvironment.isHeadless()) {
            try {
                if (SystemTray.isSupported()) {
                    AwtTray awt = AwtTray.start(actions);
                    tray = awt;
                    notifier = notifier != null ? notifier : awt;
                }
            } catch (Exception | LinkageError e) {
                LOG.info("no AWT system tray: " + e.getMessage());
            }
        }
        if (tray == null && notifier == null && bus != null) {
            bus.disconnect();
            bus = null;
        }
        return new Desktop(tray == null ? Tray.NONE : tray, notifier == null ? Notifier.NONE : notifier, bus);
    }
}
