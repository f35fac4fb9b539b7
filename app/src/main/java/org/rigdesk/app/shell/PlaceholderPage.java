package org.rigdesk.app.shell;

import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** A page whose daemon side has not landed yet: says so plainly instead of showing nothing. */
public class PlaceholderPage implements Page {

    private final String id;
    private final String title;
    private final String explanation;

    public PlaceholderPage(String id, String title, String explanation) {
        this.id = id;
        this.title = title;
        this.explanation = explanation;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public Node view() {
        Label heading = new Label(title);
        heading.getStyleClass().add("title-2");
        Label text = new Label(explanation);
        text.setWrapText(true);
        text.getStyleClass().add("text-muted");
        VBox box = new VBox(8, heading, text);
        box.setAlignment(Pos.CENTER);
        box.setMaxWidth(460);
        VBox outer = new VBox(box);
        outer.setAlignment(Pos.CENTER);
        return outer;
    }
}
