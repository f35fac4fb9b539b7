package org.rigdesk.app.shell;

import org.rigdesk.app.connection.ConnectionViewModel;
import org.rigdesk.app.connection.ConnectionState;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.shape.Circle;
import org.rigdesk.api.wire.RunnerState;
import org.rigdesk.app.status.Vocabulary;

/** The bottom line: connection state with its remedy, and the "simulated" badge. */
public class StatusBar extends HBox {

    private final Label activity = new Label();

    public StatusBar(ConnectionViewModel connection) {
        getStyleClass().add("status-bar");
        setAlignment(Pos.CENTER_LEFT);
        setSpacing(8);
        setPadding(new Insets(4, 10, 4, 10));

        Circle dot = new Circle(5);
        dot.getStyleClass().add("connection-dot");
        Label state = new Label();
        state.setId("connection-state");
        state.textProperty().bind(Bindings.createStringBinding(
                () -> Vocabulary.connection(connection.stateProperty().get()).words(), connection.stateProperty()));
        // What it is connected to (the daemon's version and socket) is plumbing: a tooltip, not the bar.
        Label detail = new Label();
        detail.setId("connection-detail");
        detail.textProperty().bind(connection.detailProperty());
        detail.setVisible(false);
        detail.setManaged(false);
        Tooltip where = new Tooltip();
        where.textProperty().bind(connection.detailProperty());
        state.setTooltip(where);
        state.setMinWidth(Region.USE_PREF_SIZE);
        Label remedy = new Label();
        remedy.setId("connection-remedy");
        remedy.getStyleClass().add("remedy");
        remedy.textProperty().bind(connection.remedyProperty());
        remedy.visibleProperty().bind(connection.remedyProperty().isNotEmpty());
        remedy.managedProperty().bind(remedy.visibleProperty());
        remedy.setMinWidth(0);
        remedy.setTooltip(new Tooltip());
        remedy.getTooltip().textProperty().bind(connection.remedyProperty());

        connection.stateProperty().addListener((obs, old, now) -> {
            dot.getStyleClass().removeAll("state-" + old.name().toLowerCase());
            dot.getStyleClass().add("state-" + now.name().toLowerCase());
        });
        dot.getStyleClass().add("state-" + connection.stateProperty().get().name().toLowerCase());

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label simulated = new Label("SIMULATED");
        simulated.setId("simulated-badge");
        simulated.getStyleClass().add("badge-simulated");
        simulated.setTooltip(new Tooltip("rigdeskd runs on a fake sysfs tree: no real GPU is touched."));
        simulated.visibleProperty().bind(Bindings.createBooleanBinding(
                () -> connection.infoProperty().get() != null && connection.infoProperty().get().simulated()
                        && connection.stateProperty().get() == ConnectionState.CONNECTED,
                connection.infoProperty(), connection.stateProperty()));
        activity.setId("status-activity");
        activity.setMinWidth(0);
        activity.visibleProperty().bind(connection.stateProperty().isEqualTo(ConnectionState.CONNECTED));
        activity.managedProperty().bind(activity.visibleProperty());
        // What is happening comes first and in normal text; the connection sits at the right.
        getChildren().addAll(activity, remedy, spacer, dot, state, detail, simulated);
    }

    /** Running jobs and the runner's state, as one line: "● 2 jobs running · Runner: ✓ Ready for jobs". */
    public void activity(long runningJobs, org.rigdesk.api.wire.RunnerStatus runner) {
        activity.setText(activityText(runningJobs, runner));
    }

    static String activityText(long runningJobs, org.rigdesk.api.wire.RunnerStatus runner) {
        String jobs = runningJobs == 0 ? "No jobs running" : Vocabulary.WORKING + " " + runningJobs
                + (runningJobs == 1 ? " job" : " jobs") + " running";
        RunnerState state = runner == null ? RunnerState.NOT_REGISTERED : runner.state();
        return jobs + " · Runner: " + Vocabulary.runner(state).text();
    }
}
