package org.rigdesk.app.settings;

import javafx.beans.property.IntegerProperty;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import org.rigdesk.app.ui.Page;
import org.rigdesk.app.ui.PageScaffold;

/** Settings: the daemon's (sampling, history, job retention) and the window's (theme); the socket in use. */
public class SettingsPage implements Page {

    private final SettingsViewModel model;

    private final org.rigdesk.app.rigs.FleetViewModel rigs;

    public SettingsPage(SettingsViewModel model, org.rigdesk.app.rigs.FleetViewModel rigs) {
        this.model = model;
        this.rigs = rigs;
    }

    @Override
    public String id() {
        return "settings";
    }

    @Override
    public String title() {
        return "Settings";
    }

    @Override
    public Node view() {
        Label heading = PageScaffold.heading("Settings");

        // One grid for both sections, so labels and controls line up down the page.
        GridPane grid = form();
        grid.add(section("Daemon"), 0, 0, 3, 1);
        row(grid, 1, "Sample interval (ms)", spinner("settings-interval", model.sampleIntervalMsProperty(), 100, 60_000, 100),
                "How often nvidia-smi reports; 1000 ms is what nvtop and gpustat use.");
        row(grid, 2, "Telemetry history (days)", spinner("settings-history", model.historyDaysProperty(), 1, 365, 1),
                "One-minute aggregates older than this are deleted.");
        row(grid, 3, "Jobs kept", spinner("settings-jobs", model.jobRetentionCountProperty(), 10, 100_000, 10),
                "Finished jobs beyond this many, with their logs, are deleted.");
        row(grid, 4, "Jobs kept (days)", spinner("settings-job-days", model.jobRetentionDaysProperty(), 1, 3650, 1),
                "Finished jobs older than this are deleted.");
        row(grid, 5, "Disk per job (GiB)", spinner("settings-job-disk", model.jobDiskMaxGiBProperty(), 1, 16_384, 1),
                "A job that makes more than this on this computer (its disks, cache and logs) is stopped.");
        row(grid, 6, "Kept free for you (GiB)", spinner("settings-min-free", model.stateMinFreeGiBProperty(), 0, 16_384, 1),
                "Jobs stop before the disk that holds their files has less than this free.");
        row(grid, 7, "Audit log kept (days)", spinner("settings-audit-days", model.auditRetentionDaysProperty(), 1,
                36_500, 30), "Entries older than this are deleted.");
        javafx.scene.control.TextArea allow = new javafx.scene.control.TextArea();
        allow.setId("settings-network-allow");
        allow.setPromptText("192.168.1.20:3142");
        allow.setPrefRowCount(3);
        allow.getStyleClass().add("mono");
        allow.textProperty().bindBidirectional(model.networkAllowProperty());
        allow.setPrefColumnCount(8); // small: it fills the two columns it spans, up to its maximum
        allow.setMaxWidth(520);
        Label allowHint = new Label("Job VMs reach the internet, never this computer or the LAN; one HOST:PORT or "
                + "CIDR:PORT per line opens that one (a LAN package cache, say).");
        allowHint.getStyleClass().addAll("text-muted", "small");
        allowHint.setWrapText(true);
        allowHint.setMaxWidth(520);
        allowHint.setPrefWidth(0); // wraps within the spanned columns rather than widening the first
        // Wider than a number: the list takes the hint's column too, the hint goes under it.
        VBox allowBox = new VBox(4, allow, allowHint);
        row(grid, 8, "Job network exceptions", allowBox, null);
        // Numbers apply as they change; the list applies when the owner leaves it (no Save button).
        allow.focusedProperty().addListener((obs, was, now) -> {
            if (!now) {
                model.save();
            }
        });
        Label message = new Label();
        message.setId("settings-message");
        message.textProperty().bind(model.messageProperty());
        message.setWrapText(true);
        grid.add(message, 1, 9);

        grid.add(section("Window"), 0, 10, 3, 1);
        ChoiceBox<String> theme = new ChoiceBox<>(FXCollections.observableArrayList(AppPreferences.SYSTEM,
                AppPreferences.LIGHT, AppPreferences.DARK));
        theme.setId("settings-theme");
        theme.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(String value) {
                return value == null ? "" : switch (value) {
                    case AppPreferences.SYSTEM -> "Follow the system";
                    case AppPreferences.DARK -> "Dark";
                    default -> "Light";
                };
            }

            @Override
            public String fromString(String text) {
                return text;
            }
        });
        theme.valueProperty().bindBidirectional(model.themeProperty());
        row(grid, 11, "Theme", theme, null);
        Label socket = new Label(model.socket());
        socket.getStyleClass().add("mono");
        row(grid, 12, "Daemon socket", socket, "Choose another with --socket PATH or RIGDESK_SOCKET.");

        grid.add(section("Tray and notifications"), 0, 13, 3, 1);
        Label tray = new Label();
        tray.setId("settings-tray");
        tray.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> switch (model.trayProperty()
                .get()) {
            case "StatusNotifierItem" -> "StatusNotifierItem over D-Bus (GNOME with AppIndicator, KDE)";
            case "AWT SystemTray" -> "AWT SystemTray (XEmbed panels)";
            default -> "None: this desktop offers no tray, so closing the window quits";
        }, model.trayProperty()));
        row(grid, 14, "Tray", tray, null);
        Label notifier = new Label();
        notifier.setId("settings-notifier");
        notifier.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> switch (model
                .notifierProperty().get()) {
            case "org.freedesktop.Notifications" -> "the desktop's notification server";
            case "AWT tray message" -> "tray messages";
            default -> "none available";
        }, model.notifierProperty()));
        row(grid, 15, "Notifications", notifier, null);
        VBox choices = new VBox(6);
        choices.setId("settings-notify");
        model.notifications().forEach((category, on) -> {
            javafx.scene.control.CheckBox box = new javafx.scene.control.CheckBox(
                    SettingsViewModel.CATEGORIES.get(category));
            box.setId("settings-notify-" + category);
            box.selectedProperty().bindBidirectional(on);
            choices.getChildren().add(box);
        });
        row(grid, 16, "Notify me of", choices, null);
        // Without a notification service the choices mean nothing: shown, but not offered.
        choices.disableProperty().bind(model.notificationsAvailable().not());
        javafx.scene.control.Spinner<Double> threshold = new javafx.scene.control.Spinner<>(40, 110,
                model.temperatureThresholdProperty().get(), 1);
        threshold.setId("settings-threshold");
        threshold.setEditable(true);
        threshold.valueProperty().addListener((obs, old, now) -> model.temperatureThresholdProperty().set(now));
        threshold.disableProperty().bind(model.notificationsAvailable().not());
        row(grid, 17, "Temperature threshold (°C)", threshold, "At most one notification per card per 15 minutes.");
        javafx.scene.control.CheckBox minimised = new javafx.scene.control.CheckBox("Start in the tray, window hidden");
        minimised.setId("settings-minimised");
        minimised.selectedProperty().bindBidirectional(model.startMinimisedProperty());
        minimised.disableProperty().bind(model.trayProperty().isEqualTo("none"));
        row(grid, 18, "Start", minimised, null);

        grid.add(section("Rigs"), 0, 19, 3, 1);
        row(grid, 20, "Rigs", new org.rigdesk.app.rigs.RigsEditor(rigs), "Other rigs are reached over ssh; the "
                + "Fleet page shows them all, the switch above the pages picks the one they show.");

        return PageScaffold.scrolling(12, model::reload, null, heading, grid);
    }

    private static Label section(String title) {
        Label label = new Label(title);
        label.getStyleClass().add("title-4");
        label.setPadding(new Insets(8, 0, 0, 0));
        return label;
    }

    private static GridPane form() {
        GridPane grid = new GridPane();
        grid.setHgap(14);
        grid.setVgap(10);
        // Labels at their width; controls with their hints beneath in one column up to 560 px.
        javafx.scene.layout.ColumnConstraints labels = new javafx.scene.layout.ColumnConstraints();
        labels.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        javafx.scene.layout.ColumnConstraints controls = new javafx.scene.layout.ColumnConstraints(280, 560, 560);
        controls.setHgrow(javafx.scene.layout.Priority.SOMETIMES);
        javafx.scene.layout.ColumnConstraints rest = new javafx.scene.layout.ColumnConstraints(0);
        rest.setHgrow(javafx.scene.layout.Priority.ALWAYS);
        grid.getColumnConstraints().addAll(labels, controls, rest);
        return grid;
    }

    private static void row(GridPane grid, int row, String label, Node control, String help) {
        Label key = new Label(label);
        key.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        grid.add(key, 0, row);
        if (control instanceof VBox) {
            GridPane.setValignment(key, javafx.geometry.VPos.TOP); // a list of choices: its label at its top
        }
        if (help == null) {
            grid.add(control, 1, row);
            return;
        }
        // The hint right under its control, not a column away.
        GridPane.setValignment(key, javafx.geometry.VPos.TOP);
        key.setPadding(new Insets(5, 0, 0, 0)); // level with the control's text
        Label hint = new Label(help);
        hint.getStyleClass().addAll("text-muted", "small");
        hint.setWrapText(true); // a narrow window wraps the hint rather than cutting it
        VBox withHint = new VBox(3, control, hint);
        withHint.setFillWidth(false); // a spinner keeps its own width; the hint wraps at the column's
        hint.maxWidthProperty().bind(grid.getColumnConstraints().get(1).prefWidthProperty());
        grid.add(withHint, 1, row);
        if (control instanceof javafx.scene.control.Control c) {
            c.setTooltip(new Tooltip(help));
        }
    }

    private static Spinner<Integer> spinner(String id, IntegerProperty property, int min, int max, int step) {
        Spinner<Integer> spinner = new Spinner<>();
        SpinnerValueFactory.IntegerSpinnerValueFactory values =
                new SpinnerValueFactory.IntegerSpinnerValueFactory(min, max, property.get(), step);
        spinner.setValueFactory(values);
        spinner.setEditable(true);
        spinner.setId(id);
        spinner.setPrefWidth(130);
        values.valueProperty().addListener((obs, old, now) -> {
            if (now != null) {
                property.set(now);
            }
        });
        property.addListener((obs, old, now) -> values.setValue(now.intValue()));
        return spinner;
    }
}
