package org.rigdesk.app.ui;

import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.VBox;

/**
 * The frame every page shares: its heading's style, the page's padding, a vertical scroll (or
 * none, for a page whose own table fills the window), and what to do each time the page is shown
 * (reload what it shows) and hidden (stop its timers).
 */
public final class PageScaffold {

    private static final Insets PADDING = new Insets(20, 24, 20, 24);

    private PageScaffold() {
    }

    public static Label heading(String title) {
        Label heading = new Label(title);
        heading.getStyleClass().add("title-2");
        return heading;
    }

    /** A page that scrolls: its parts one under the other, {@code spacing} apart. */
    public static ScrollPane scrolling(double spacing, Runnable onShow, Runnable onHide, Node... parts) {
        VBox page = new VBox(spacing, parts);
        page.setPadding(PADDING);
        ScrollPane scroll = new ScrollPane(page);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("edge-to-edge");
        whenShown(scroll, onShow, onHide);
        return scroll;
    }

    /** A page that fills the window; a part with {@code VBox.vgrow} takes the height left. */
    public static VBox filling(double spacing, Runnable onShow, Node... parts) {
        VBox page = new VBox(spacing, parts);
        page.setPadding(new Insets(20, 24, 16, 24));
        whenShown(page, onShow, null);
        return page;
    }

    /** A page is shown when the window puts it in its scene, hidden when it takes it out. */
    private static void whenShown(Node page, Runnable onShow, Runnable onHide) {
        page.sceneProperty().addListener((obs, old, scene) -> {
            if (scene != null && onShow != null) {
                onShow.run();
            } else if (scene == null && onHide != null) {
                onHide.run();
            }
        });
    }
}
