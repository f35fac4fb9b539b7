package org.rigdesk.app.gpus;

import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;
import org.rigdesk.app.shell.Page;

/** The home page: a card per GPU. */
public class GpusPage implements Page {

    private final GpusViewModel model;

    public GpusPage(GpusViewModel model) {
        this.model = model;
    }

    @Override
    public String id() {
        return "gpus";
    }

    @Override
    public String title() {
        return "GPUs";
    }

    @Override
    public Node view() {
        Label heading = new Label("GPUs");
        heading.getStyleClass().add("title-2");
        Label status = new Label();
        status.getStyleClass().add("text-muted");
        status.textProperty().bind(model.statusProperty());
        status.visibleProperty().bind(model.statusProperty().isNotEmpty());
        status.managedProperty().bind(status.visibleProperty());
        FlowPane cards = new FlowPane(16, 16);
        cards.setId("gpu-cards");
        model.cards().addListener((ListChangeListener<GpuCardViewModel>) change -> fill(cards));
        fill(cards);
        VBox page = new VBox(14, heading, status, cards);
        page.setPadding(new Insets(20, 24, 20, 24));
        ScrollPane scroll = new ScrollPane(page);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("edge-to-edge");
        return scroll;
    }

    private void fill(FlowPane cards) {
        cards.getChildren().setAll(model.cards().stream().map(GpuCardView::new).toList());
    }
}
