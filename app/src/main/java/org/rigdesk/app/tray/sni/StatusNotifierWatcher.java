package org.rigdesk.app.tray.sni;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/** {@code org.kde.StatusNotifierWatcher}: the desktop's registry of tray items (at /StatusNotifierWatcher). */
@DBusInterfaceName("org.kde.StatusNotifierWatcher")
public interface StatusNotifierWatcher extends DBusInterface {

    String BUS_NAME = "org.kde.StatusNotifierWatcher";
    String PATH = "/StatusNotifierWatcher";

    void RegisterStatusNotifierItem(String service);

    void RegisterStatusNotifierHost(String service);
}
