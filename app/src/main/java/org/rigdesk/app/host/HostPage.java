package org.rigdesk.app.host;

import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.rigdesk.app.connection.ConnectionViewModel;
import org.rigdesk.app.ui.Page;
import org.rigdesk.app.ui.PageScaffold;

/** The Host page: the daemon and every host check with a tick or a cross and its remedy. */
public class HostPage implements Page {

    private final HostViewModel model = new HostViewModel();
    private final ConnectionViewModel connection;

    public HostPage(ConnectionViewModel connection) {
        this.connection = connection;
        connection.infoProperty().addListener((obs, old, info) -> model.update(info));
    }

    public HostViewModel model() {
        return model;
    }

    @Override
    public String id() {
        return "host";
    }

    @Override
    public String title() {
        return "Host";
    }

    @Override
    public Node view() {
        Label daemon = new Label();
        daemon.setId("host-daemon");
        daemon.textProperty().bind(model.daemonProperty());
        Label simulated = new Label("Simulated: a fake sysfs tree stands in for the hardware");
        simulated.getStyleClass().add("badge-simulated");
        simulated.visibleProperty().bind(model.simulatedProperty());
        simulated.managedProperty().bind(simulated.visibleProperty());
        Label paths = new Label();
        paths.getStyleClass().addAll("text-muted", "mono");
        paths.textProperty().bind(model.pathsProperty());
        // The verdict first, in a banner; the daemon's pid and paths are folded away at the bottom.
        Label summary = new Label();
        summary.setId("host-summary");
        summary.getStyleClass().add("summary");
        summary.setWrapText(true);
        summary.textProperty().bind(model.summaryProperty());
        Button again = new Button("Check again");
        again.setId("host-check-again");
        again.setOnAction(e -> connection.refresh());
        javafx.scene.layout.Region gap = new javafx.scene.layout.Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox.setHgrow(summary, Priority.SOMETIMES);
        again.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox banner = new HBox(12, summary, gap, again);
        banner.setId("host-banner");
        banner.setAlignment(Pos.CENTER_LEFT);
        banner.getStyleClass().add("verdict-banner");
        Runnable tone = () -> {
            banner.getStyleClass().removeIf(c -> c.startsWith("tone-"));
            banner.getStyleClass().add(model.verdictProperty().get().styleClass());
        };
        model.verdictProperty().addListener((obs, old, now) -> tone.run());
        tone.run();
        javafx.scene.control.TitledPane details = new javafx.scene.control.TitledPane("The daemon",
                new VBox(4, daemon, simulated, paths));
        details.setId("host-daemon-details");
        details.setExpanded(false);
        details.setAnimated(false);

        GridPane grid = new GridPane();
        grid.setId("host-checks");
        grid.getStyleClass().add("checks");
        grid.setHgap(12);
        grid.setVgap(10);
        model.checks().addListener((ListChangeListener<HostViewModel.CheckRow>) change -> fill(grid));
        fill(grid);

        return PageScaffold.scrolling(10, null, null, PageScaffold.heading("Host"), banner, grid, details);
    }

    private void fill(GridPane grid) {
        grid.getChildren().clear();
        int row = 0;
        for (HostViewModel.CheckRow check : model.checks()) {
            // The same shapes as everywhere: ✓ done, ✗ blocks, ⚠ recommended and missing, ○ optional and missing.
            boolean advised = check.mark() == HostViewModel.Mark.MISSING
                    && org.rigdesk.api.wire.HostCheck.RECOMMENDED.equals(check.level());
            Label mark = new Label(switch (check.mark()) {
                case OK -> org.rigdesk.app.status.Vocabulary.OK;
                case FAILED -> org.rigdesk.app.status.Vocabulary.FAILED;
                case MISSING -> advised ? org.rigdesk.app.status.Vocabulary.LOOK : org.rigdesk.app.status.Vocabulary.WAITING;
            });
            mark.getStyleClass().addAll("check-mark", switch (check.mark()) {
                case OK -> org.rigdesk.app.status.Tone.GOOD.styleClass();
                case FAILED -> org.rigdesk.app.status.Tone.BAD.styleClass();
                case MISSING -> (advised ? org.rigdesk.app.status.Tone.WARN : org.rigdesk.app.status.Tone.QUIET).styleClass();
            });
            Label title = new Label(check.title());
            title.getStyleClass().add("check-title");
            Label level = new Label(check.level());
            level.getStyleClass().addAll("check-level", "small", "level-" + check.level());
            HBox heading = new HBox(8, title, level);
            heading.setAlignment(Pos.CENTER_LEFT);
            Label detail = new Label(check.detail());
            detail.getStyleClass().add("text-muted");
            detail.setWrapText(true);
            VBox text = new VBox(2, heading, detail);
            if (check.remedy() != null) {
                Label remedy = new Label(check.remedy());
                remedy.getStyleClass().add("remedy-text");
                remedy.setWrapText(true);
                text.getChildren().add(remedy);
            }
            if (check.command() != null) {
                // A command to run: selectable text and a Copy button, not a link that goes nowhere.
                javafx.scene.control.TextField command = new javafx.scene.control.TextField(check.command());
                command.setEditable(false);
                command.getStyleClass().addAll("mono", "command");
                command.setId("command-" + check.id());
                HBox.setHgrow(command, Priority.ALWAYS);
                Button copy = new Button("Copy");
                copy.setId("copy-" + check.id());
                copy.setOnAction(e -> {
                    javafx.scene.input.ClipboardContent content = new javafx.scene.input.ClipboardContent();
                    content.putString(check.command());
                    javafx.scene.input.Clipboard.getSystemClipboard().setContent(content);
                    copy.setText("Copied");
                });
                HBox line = new HBox(6, command, copy);
                line.setAlignment(Pos.CENTER_LEFT);
                text.getChildren().add(line);
            }
            HBox.setHgrow(text, Priority.ALWAYS);
            HBox line = new HBox(10, mark, text);
            line.setId("check-" + check.id());
            line.setAlignment(Pos.TOP_LEFT);
            GridPane.setHgrow(line, Priority.ALWAYS);
            grid.add(line, 0, row++);
        }
    }
}
