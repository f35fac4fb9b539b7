package org.rigdesk.app.rigs;

import javafx.collections.ListChangeListener;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.rigdesk.app.contexts.RigContext;

/**
 * Settings → Rigs: the rigs by name with Remove, and a new one's name and ssh endpoint with Test
 * (reach it first, ssh's answer shown) and Add. The same contexts {@code rigdesk context} keeps.
 */
public final class RigsEditor extends VBox {

    public RigsEditor(FleetViewModel model) {
        super(8);
        setId("rigs-editor");
        VBox list = new VBox(4);
        list.setId("rigs-list");
        Runnable redraw = () -> list.getChildren().setAll(model.rigs().stream().map(rig -> {
            Label name = new Label(rig.name());
            name.setMinWidth(110);
            name.getStyleClass().add("check-title");
            Label endpoint = new Label(rig.endpoint());
            endpoint.getStyleClass().addAll("mono", "small");
            endpoint.setTooltip(new javafx.scene.control.Tooltip(rig.endpoint()));
            endpoint.setMinWidth(0); // a long endpoint is cut, never the Remove button
            HBox.setHgrow(endpoint, Priority.ALWAYS);
            endpoint.setMaxWidth(Double.MAX_VALUE);
            HBox row = new HBox(10, name, endpoint);
            row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
            if (!RigContext.LOCAL.equals(rig.name())) {
                Button remove = new Button("Remove");
                remove.setId("rig-remove-" + rig.name());
                remove.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
                remove.getStyleClass().add("small");
                remove.setOnAction(e -> model.remove(rig.name()));
                row.getChildren().add(remove);
            }
            return row;
        }).toList());
        model.rigs().addListener((ListChangeListener<RigView>) change -> redraw.run());
        redraw.run();

        TextField name = new TextField();
        name.setId("rig-name");
        name.setPromptText("name (lab)");
        name.setPrefColumnCount(8);
        TextField endpoint = new TextField();
        endpoint.setId("rig-endpoint");
        endpoint.setPromptText("ssh://user@host[:port][/run/rigdesk/rigdeskd.sock]");
        HBox.setHgrow(endpoint, Priority.ALWAYS);
        Button test = new Button("Test");
        test.setId("rig-test");
        Button add = new Button("Add");
        add.setId("rig-add");
        add.getStyleClass().add("accent");
        Label answer = new Label();
        answer.setId("rig-answer");
        answer.setWrapText(true);
        answer.getStyleClass().addAll("mono", "small");
        test.setOnAction(e -> {
            answer.setText("Reaching " + endpoint.getText().strip() + " …");
            model.test(endpoint.getText(), answer::setText);
        });
        add.setOnAction(e -> {
            if (model.add(name.getText(), endpoint.getText())) {
                name.clear();
                endpoint.clear();
                answer.setText("");
            }
        });
        Label problem = new Label();
        problem.setId("rig-problem");
        problem.getStyleClass().add("problem");
        problem.setWrapText(true);
        problem.textProperty().bind(model.problemProperty());
        Label hint = new Label("Rigdesk runs your own ssh: your keys, agent, ~/.ssh/config and known_hosts. "
                + "Nothing listens on the network at either end.");
        hint.getStyleClass().addAll("text-muted", "small");
        hint.setWrapText(true);
        getChildren().addAll(list, new HBox(8, name, endpoint, test, add), answer, problem, hint);
    }
}
