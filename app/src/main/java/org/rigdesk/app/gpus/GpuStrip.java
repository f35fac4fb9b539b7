package org.rigdesk.app.gpus;

import org.rigdesk.app.format.GpuNames;
import java.util.IdentityHashMap;
import java.util.Map;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;
import org.rigdesk.app.status.Look;

/**
 * Every GPU that can be lent, in the sidebar under the pages: its name, its state in the one
 * vocabulary and a small load line, so "which of my GPUs is lent right now" is answered on every
 * page. A click opens the GPUs page.
 */
public class GpuStrip extends VBox {

    private final Map<GpuCardViewModel, VBox> entries = new IdentityHashMap<>();

    public GpuStrip(GpusViewModel model, Runnable open) {
        super(8);
        setId("gpu-strip");
        getStyleClass().add("gpu-strip");
        setPadding(new Insets(16, 4, 0, 4));
        Runnable fill = () -> {
            entries.keySet().retainAll(java.util.Set.copyOf(model.cards()));
            getChildren().setAll(model.cards().stream().filter(c -> !c.gpuProperty().get().bootVga())
                    .map(card -> entries.computeIfAbsent(card, c -> entry(c, open))).toList());
        };
        model.cards().addListener((ListChangeListener<GpuCardViewModel>) change -> fill.run());
        fill.run();
    }

    private static VBox entry(GpuCardViewModel card, Runnable open) {
        Label name = new Label();
        name.getStyleClass().addAll("small", "gpu-strip-name");
        Label state = new Label();
        state.getStyleClass().add("small");
        state.setId("strip-" + card.bdf().replace(':', '-').replace('.', '-'));
        Sparkline load = new Sparkline(card.recentLoad());
        load.setPrefSize(150, 16);
        load.setMinHeight(16);
        VBox entry = new VBox(1, name, state, load);
        entry.getStyleClass().add("gpu-strip-entry");
        entry.setId("strip-entry-" + card.bdf().replace(':', '-').replace('.', '-'));
        entry.setOnMouseClicked(e -> open.run());
        // Reachable without a mouse: Tab stops on it, Enter or Space opens the GPUs page.
        entry.setFocusTraversable(true);
        entry.setOnKeyPressed(e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.ENTER || e.getCode() == javafx.scene.input.KeyCode.SPACE) {
                open.run();
            }
        });
        Runnable show = () -> {
            String twin = card.twinProperty().get();
            name.setText(card.gpuProperty().get().name().replaceFirst("^(NVIDIA |AMD |Intel )?(GeForce |Radeon )?", "")
                    + (twin.isEmpty() ? "" : " · " + twin.replaceFirst(" of \\d+$", "")));
            Look look = card.look();
            state.setText(look.text());
            state.getStyleClass().removeIf(c -> c.startsWith("tone-"));
            state.getStyleClass().add(look.tone().styleClass());
            Tooltip.install(entry, new Tooltip(GpuNames.label(card.gpuProperty().get()) + "\n" + look.text()
                    + "\n(" + look.term() + ")"));
        };
        card.gpuProperty().addListener((obs, old, now) -> show.run());
        card.holderProperty().addListener((obs, old, now) -> show.run());
        card.twinProperty().addListener((obs, old, now) -> show.run());
        show.run();
        return entry;
    }
}
