package org.rigdesk.app.tray.sni;

import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.Tuple;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/** The Desktop Notifications Specification's {@code org.freedesktop.Notifications} (at /org/freedesktop/Notifications). */
@DBusInterfaceName("org.freedesktop.Notifications")
public interface Notifications extends DBusInterface {

    String BUS_NAME = "org.freedesktop.Notifications";
    String PATH = "/org/freedesktop/Notifications";

    UInt32 Notify(String appName, UInt32 replacesId, String appIcon, String summary, String body, List<String> actions,
                  Map<String, Variant<?>> hints, int expireTimeout);

    List<String> GetCapabilities();

    void CloseNotification(UInt32 id);

    ServerInformation<String, String, String, String> GetServerInformation();

    /** Generic because dbus-java reads a tuple's D-Bus types from the method's type arguments. */
    class ServerInformation<N, V, R, S> extends Tuple {
        @Position(0)
        public final N name;
        @Position(1)
        public final V vendor;
        @Position(2)
        public final R version;
        @Position(3)
        public final S specVersion;

        public ServerInformation(N name, V vendor, R version, S specVersion) {
            this.name = name;
            this.vendor = vendor;
            this.version = version;
            this.specVersion = specVersion;
        }
    }
}
