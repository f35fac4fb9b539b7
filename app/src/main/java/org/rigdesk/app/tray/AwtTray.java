package org.rigdesk.app.tray;

import java.awt.AWTException;
import java.awt.EventQueue;
import java.awt.Image;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.image.BufferedImage;
import java.util.function.Consumer;

/**
 * The tray through AWT's SystemTray: the XEmbed protocol, which older panels (XFCE, MATE, LXQt…)
 * speak; GNOME and KDE do not, and get {@link org.rigdesk.app.tray.sni.SniTray} instead. It also
 * shows notifications as tray messages where no notification server answers.
 */
public final class AwtTray implements Tray, Notifier {

    private final TrayIcon icon;
    private final Consumer<String> actions;

    private AwtTray(TrayIcon icon, Consumer<String> actions) {
        this.icon = icon;
        this.actions = actions;
    }

    public static AwtTray start(Consumer<String> actions) throws AWTException {
        TrayIcon icon = new TrayIcon(image(TrayState.Status.IDLE), "Rigdesk");
        icon.setImageAutoSize(true);
        AwtTray tray = new AwtTray(icon, actions);
        icon.addActionListener(e -> actions.accept("open"));
        SystemTray.getSystemTray().add(icon);
        return tray;
    }

    private static Image image(TrayState.Status status) {
        int size = 24;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, size, size, TrayIcons.argb(status, size), 0, size);
        return image;
    }

    @Override
    public String kind() {
        return "AWT SystemTray";
    }

    @Override
    public void show(TrayState state) {
        EventQueue.invokeLater(() -> {
            icon.setImage(image(state.status()));
            icon.setToolTip(state.title() + " — " + state.tooltip());
            PopupMenu menu = new PopupMenu();
            for (TrayState.MenuItem item : state.menu()) {
                if (item.isSeparator()) {
                    menu.addSeparator();
                    continue;
                }
                MenuItem entry = new MenuItem(item.label());
                entry.setEnabled(item.enabled() && item.action() != null);
                entry.addActionListener(e -> actions.accept(item.action()));
                menu.add(entry);
            }
            icon.setPopupMenu(menu);
        });
    }

    @Override
    public void send(String summary, String body, boolean critical) {
        EventQueue.invokeLater(() -> icon.displayMessage(summary, body,
                critical ? TrayIcon.MessageType.ERROR : TrayIcon.MessageType.INFO));
    }

    @Override
    public void close() {
        EventQueue.invokeLater(() -> SystemTray.getSystemTray().remove(icon));
    }
}
