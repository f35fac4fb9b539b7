package org.rigdesk.app.gpus;

import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import org.rigdesk.app.shell.Page;
import org.rigdesk.app.shell.PageScaffold;

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
        Label status = new Label();
        status.getStyleClass().add("text-muted");
        status.textProperty().bind(model.statusProperty());
        status.visibleProperty().bind(model.statusProperty().isNotEmpty());
        status.managedProperty().bind(status.visibleProperty());
        FlowPane cards = new FlowPane(16, 16);
        cards.setId("gpu-cards");
        model.cards().addListener((ListChangeListener<GpuCardViewModel>) change -> fill(cards));
        fill(cards);
        return PageScaffold.scrolling(14, null, null, PageScaffold.heading("GPUs"), status, cards);
    }

    private void fill(FlowPane cards) {
        cards.getChildren().setAll(model.cards().stream().map(GpuCardView::new).toList());
    }
}
