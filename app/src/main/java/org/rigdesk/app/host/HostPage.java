package org.rigdesk.app.host;

import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.rigdesk.app.shell.ConnectionViewModel;
import org.rigdesk.app.shell.Page;
import org.rigdesk.app.shell.PageScaffold;

/** The Host page: the daemon and every host check with a tick or a cross and its remedy. */
public class HostPage implements Page {

    private final HostViewModel model = new HostViewModel();

    public HostPage(ConnectionViewModel connection) {
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
        Label summary = new Label();
        summary.setId("host-summary");
        summary.getStyleClass().add("summary");
        summary.textProperty().bind(model.summaryProperty());

        GridPane grid = new GridPane();
        grid.setId("host-checks");
        grid.getStyleClass().add("checks");
        grid.setHgap(12);
        grid.setVgap(10);
        model.checks().addListener((ListChangeListener<HostViewModel.CheckRow>) change -> fill(grid));
        fill(grid);

        return PageScaffold.scrolling(10, null, null, PageScaffold.heading("Host"), daemon, simulated, paths, summary,
                grid);
    }

    private void fill(GridPane grid) {
        grid.getChildren().clear();
        int row = 0;
        for (HostViewModel.CheckRow check : model.checks()) {
            Label mark = new Label(switch (check.mark()) {
                case OK -> "✔";
                case FAILED -> "✖";
                case MISSING -> "–";
            });
            mark.getStyleClass().addAll("check-mark", "check-" + check.mark().name().toLowerCase());
            Label title = new Label(check.title());
            title.getStyleClass().add("check-title");
            Label detail = new Label(check.detail());
            detail.getStyleClass().add("text-muted");
            detail.setWrapText(true);
            VBox text = new VBox(2, title, detail);
            if (check.remedy() != null) {
                Label remedy = new Label(check.remedy());
                remedy.getStyleClass().add("remedy");
                remedy.setWrapText(true);
                text.getChildren().add(remedy);
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
