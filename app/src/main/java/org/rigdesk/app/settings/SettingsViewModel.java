package org.rigdesk.app.settings;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.wire.Settings;

/** The Settings page: the daemon's settings (validated by the daemon) and the window's own choices. */
public class SettingsViewModel {

    private final RigdeskApi client;
    private final Executor background;
    private final Executor ui;
    private final AppPreferences preferences;
    private final Consumer<String> applyTheme;
    private final IntegerProperty sampleIntervalMs = new SimpleIntegerProperty(1000);
    private final IntegerProperty historyDays = new SimpleIntegerProperty(30);
    private final IntegerProperty jobRetentionCount = new SimpleIntegerProperty(1000);
    private final IntegerProperty jobRetentionDays = new SimpleIntegerProperty(90);
    private final IntegerProperty jobDiskMaxGiB = new SimpleIntegerProperty(Settings.DEFAULTS.jobDiskMaxGiB());
    private final IntegerProperty stateMinFreeGiB = new SimpleIntegerProperty(Settings.DEFAULTS.stateMinFreeGiB());
    private final IntegerProperty auditRetentionDays = new SimpleIntegerProperty(Settings.DEFAULTS.auditRetentionDays());
    private final StringProperty theme = new SimpleStringProperty();
    /** The owner's network exceptions, one HOST:PORT or CIDR:PORT per line. */
    private final StringProperty networkAllow = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty tray = new SimpleStringProperty("none");
    private final StringProperty notifier = new SimpleStringProperty("none");
    private final java.util.Map<String, javafx.beans.property.BooleanProperty> notify = new java.util.LinkedHashMap<>();
    private final javafx.beans.property.DoubleProperty temperatureThreshold = new javafx.beans.property.SimpleDoubleProperty();
    private final javafx.beans.property.BooleanProperty startMinimised = new javafx.beans.property.SimpleBooleanProperty();

    /** The notification categories, in the order Settings lists them, with their labels. */
    public static final java.util.Map<String, String> CATEGORIES = java.util.Map.of(
            org.rigdesk.app.tray.DesktopAlerts.JOBS, "Jobs finished or failed",
            org.rigdesk.app.tray.DesktopAlerts.GPUS, "GPU mode changed or refused",
            org.rigdesk.app.tray.DesktopAlerts.TEMPERATURE, "GPU over the temperature threshold",
            org.rigdesk.app.tray.DesktopAlerts.DAEMON, "Daemon lost or back",
            org.rigdesk.app.tray.DesktopAlerts.RUNNER, "Runner offline or back");

    public SettingsViewModel(RigdeskApi client, Executor background, Executor ui, AppPreferences preferences,
                             Consumer<String> applyTheme) {
        this.client = client;
        this.background = background;
        this.ui = ui;
        this.preferences = preferences;
        this.applyTheme = applyTheme;
        for (String category : java.util.List.of(org.rigdesk.app.tray.DesktopAlerts.JOBS,
                org.rigdesk.app.tray.DesktopAlerts.GPUS, org.rigdesk.app.tray.DesktopAlerts.TEMPERATURE,
                org.rigdesk.app.tray.DesktopAlerts.DAEMON, org.rigdesk.app.tray.DesktopAlerts.RUNNER)) {
            javafx.beans.property.BooleanProperty on = new javafx.beans.property.SimpleBooleanProperty(
                    preferences.notify(category));
            on.addListener((obs, old, now) -> preferences.notify(category, now));
            notify.put(category, on);
        }
        temperatureThreshold.set(preferences.temperatureThreshold());
        temperatureThreshold.addListener((obs, old, now) -> preferences.temperatureThreshold(now.doubleValue()));
        startMinimised.set(preferences.startMinimised());
        startMinimised.addListener((obs, old, now) -> preferences.startMinimised(now));
        theme.set(preferences.theme());
        // The daemon's numbers apply as they change (each change is one PUT the daemon validates);
        // what it refuses is said at once and the page shows what it kept.
        for (javafx.beans.property.IntegerProperty number : java.util.List.of(sampleIntervalMs, historyDays,
                jobRetentionCount, jobRetentionDays, jobDiskMaxGiB, stateMinFreeGiB, auditRetentionDays)) {
            number.addListener((obs, old, now) -> {
                if (!showing) {
                    save();
                }
            });
        }
        theme.addListener((obs, old, now) -> {
            preferences.theme(now);
            applyTheme.accept(preferences.theme());
        });
    }

    public void reload() {
        background.execute(() -> {
            try {
                Settings settings = client.settings();
                ui.execute(() -> show(settings));
            } catch (IOException e) {
                ui.execute(() -> message.set("Cannot read the daemon's settings: " + e.getMessage()));
            }
        });
    }

    public void save() {
        Settings wanted = new Settings(sampleIntervalMs.get(), historyDays.get(), jobRetentionCount.get(),
                jobRetentionDays.get(), networkAllow.get().lines().map(String::strip).filter(l -> !l.isEmpty())
                .toList(), jobDiskMaxGiB.get(), stateMinFreeGiB.get(), auditRetentionDays.get());
        background.execute(() -> {
            try {
                Settings saved = client.updateSettings(wanted);
                ui.execute(() -> {
                    show(saved);
                    message.set("Saved.");
                });
            } catch (IOException e) {
                String refusal = "Not saved: " + e.getMessage();
                ui.execute(() -> message.set(refusal));
                // The numbers go back to what the daemon kept; the exceptions list keeps the owner's text to fix.
                try {
                    Settings kept = client.settings();
                    ui.execute(() -> {
                        String typed = networkAllow.get();
                        show(kept);
                        networkAllow.set(typed);
                    });
                } catch (IOException unreachable) {
                    // The refusal already says what went wrong.
                }
            }
        });
    }

    /** True while the daemon's answer is being shown: those changes are not the owner's, so not saved again. */
    private boolean showing;

    private void show(Settings settings) {
        boolean was = showing;
        showing = true;
        try {
            fill(settings);
        } finally {
            showing = was;
        }
    }

    private void fill(Settings settings) {
        sampleIntervalMs.set(settings.sampleIntervalMs());
        historyDays.set(settings.historyDays());
        jobRetentionCount.set(settings.jobRetentionCount());
        jobRetentionDays.set(settings.jobRetentionDays());
        // An older daemon says nothing of the disk limits: the page keeps showing the defaults.
        if (settings.jobDiskMaxGiB() != null) {
            jobDiskMaxGiB.set(settings.jobDiskMaxGiB());
            stateMinFreeGiB.set(settings.stateMinFreeGiB());
            auditRetentionDays.set(settings.auditRetentionDays());
        }
        networkAllow.set(settings.networkAllow() == null ? "" : String.join("\n", settings.networkAllow()));
    }

    public StringProperty networkAllowProperty() {
        return networkAllow;
    }

    public IntegerProperty sampleIntervalMsProperty() {
        return sampleIntervalMs;
    }

    public IntegerProperty historyDaysProperty() {
        return historyDays;
    }

    public IntegerProperty jobRetentionCountProperty() {
        return jobRetentionCount;
    }

    public IntegerProperty jobRetentionDaysProperty() {
        return jobRetentionDays;
    }

    public IntegerProperty jobDiskMaxGiBProperty() {
        return jobDiskMaxGiB;
    }

    public IntegerProperty stateMinFreeGiBProperty() {
        return stateMinFreeGiB;
    }

    public IntegerProperty auditRetentionDaysProperty() {
        return auditRetentionDays;
    }

    public StringProperty themeProperty() {
        return theme;
    }

    /** Whether this desktop can show notifications at all (the choices below are moot without). */
    public javafx.beans.binding.BooleanBinding notificationsAvailable() {
        return notifier.isNotEqualTo("none");
    }

    /** Which tray and notifier this desktop gave the app (set by the shell once they are open). */
    public StringProperty trayProperty() {
        return tray;
    }

    public StringProperty notifierProperty() {
        return notifier;
    }

    public java.util.Map<String, javafx.beans.property.BooleanProperty> notifications() {
        return notify;
    }

    public javafx.beans.property.DoubleProperty temperatureThresholdProperty() {
        return temperatureThreshold;
    }

    public javafx.beans.property.BooleanProperty startMinimisedProperty() {
        return startMinimised;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public String socket() {
        return client.socket().toString();
    }
}
