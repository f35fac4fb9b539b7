package org.rigdesk.app.gpus;

import java.util.List;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.rigdesk.app.ui.Page;
import org.rigdesk.app.ui.PageScaffold;
import org.rigdesk.app.status.Overview;

/**
 * The home page: the rig at a glance (GPUs lent, jobs, the runner, the last job), then a card per
 * GPU in equal columns that fill the width (as many as fit at {@value #MIN_CARD} px), the boot
 * display last as a compact card of its own.
 */
public class GpusPage implements Page {

    static final double MIN_CARD = 360;
    private static final double GAP = 16;

    private final GpusViewModel model;
    /** A view per card model, kept while the model is: re-laying the grid moves views, never remakes them. */
    private final java.util.Map<GpuCardViewModel, GpuCardView> views = new java.util.IdentityHashMap<>();

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
        HBox overview = new HBox(12);
        overview.setId("overview");
        overview.getStyleClass().add("overview");
        model.overviewProperty().addListener((obs, old, now) -> showOverview(overview, now));
        showOverview(overview, model.overviewProperty().get());

        GridPane cards = new GridPane();
        cards.setId("gpu-cards");
        cards.setHgap(GAP);
        cards.setVgap(GAP);
        VBox compact = new VBox(GAP);
        Runnable fill = () -> fill(cards, compact);
        model.cards().addListener((ListChangeListener<GpuCardViewModel>) change -> fill.run());
        cards.widthProperty().addListener((obs, old, now) -> {
            if (columns(old.doubleValue()) != columns(now.doubleValue())) {
                fill.run();
            }
        });
        fill.run();
        // Ages in the overview ("3 min ago") move while the page is shown.
        Timeline ages = new Timeline(new KeyFrame(Duration.seconds(10), e -> model.refreshOverview()));
        ages.setCycleCount(Timeline.INDEFINITE);
        return PageScaffold.scrolling(14, ages::play, ages::stop, PageScaffold.heading("GPUs"), overview, status,
                cards, compact);
    }

    private static int columns(double width) {
        return Math.max(1, (int) ((width + GAP) / (MIN_CARD + GAP)));
    }

    private void fill(GridPane cards, VBox compact) {
        List<GpuCardViewModel> lendable = model.cards().stream().filter(c -> !c.gpuProperty().get().bootVga()).toList();
        int columns = Math.min(Math.max(1, lendable.size()), columns(cards.getWidth() > 0 ? cards.getWidth() : 1100));
        cards.getChildren().clear();
        cards.getColumnConstraints().clear();
        for (int i = 0; i < columns; i++) {
            ColumnConstraints column = new ColumnConstraints();
            column.setPercentWidth(100.0 / columns);
            column.setHgrow(Priority.ALWAYS);
            cards.getColumnConstraints().add(column);
        }
        views.keySet().retainAll(java.util.Set.copyOf(model.cards()));
        for (int i = 0; i < lendable.size(); i++) {
            // A grid row takes its tallest card's height: every card in it is stretched to match.
            cards.add(view(lendable.get(i)), i % columns, i / columns);
        }
        compact.getChildren().setAll(model.cards().stream().filter(c -> c.gpuProperty().get().bootVga())
                .map(this::view).toList());
    }

    private GpuCardView view(GpuCardViewModel card) {
        return views.computeIfAbsent(card, GpuCardView::new);
    }

    private static void showOverview(HBox box, Overview overview) {
        box.getChildren().clear();
        if (overview == null) {
            return;
        }
        for (Overview.Tile tile : overview.tiles()) {
            Label title = new Label(tile.title());
            title.getStyleClass().addAll("text-muted", "small");
            Label value = new Label(tile.look() == null ? tile.value() : tile.look().icon() + " " + tile.value());
            value.setId(tile.id());
            value.getStyleClass().add("overview-value");
            if (tile.look() != null) {
                value.getStyleClass().add(tile.look().tone().styleClass());
            }
            value.setMinWidth(0);
            Label detail = new Label(tile.detail());
            detail.getStyleClass().addAll("text-muted", "small");
            detail.setMinWidth(0);
            VBox cell = new VBox(2, title, value, detail);
            javafx.scene.control.Tooltip.install(cell, new javafx.scene.control.Tooltip(tile.value()
                    + (tile.detail().isEmpty() ? "" : "\n" + tile.detail())
                    + (tile.look() == null ? "" : "\n(" + tile.look().term() + ")")));
            cell.getStyleClass().add("overview-tile");
            HBox.setHgrow(cell, Priority.ALWAYS);
            cell.setMaxWidth(Double.MAX_VALUE);
            box.getChildren().add(cell);
        }
    }
}
