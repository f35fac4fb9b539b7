package org.rigdesk.app.tray.sni;

import java.util.List;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;

/** {@code (sa(iiay)ss)}: icon name, icon pixmaps, title, description. */
public class ToolTip extends Struct {
    public static final String SIGNATURE = "(sa(iiay)ss)";

    @Position(0)
    public final String iconName;
    @Position(1)
    public final List<Pixmap> iconPixmap;
    @Position(2)
    public final String title;
    @Position(3)
    public final String description;

    public ToolTip(String iconName, List<Pixmap> iconPixmap, String title, String description) {
        this.iconName = iconName;
        this.iconPixmap = iconPixmap;
        this.title = title;
        this.description = description;
    }
}
