package org.rigdesk.app.shell;

import org.rigdesk.app.connection.ConnectionViewModel;
import org.rigdesk.app.ui.Page;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * Sidebar on the left, the chosen page in the middle, the status bar at the bottom. A page's view
 * is built the first time it is shown: the first frame needs the GPUs page only (building every
 * page, charts and tables included, was a second of the window's start on 2 cores).
 */
public class MainWindow extends BorderPane {

    private final Map<String, Page> pages = new LinkedHashMap<>();
    private final Map<String, Node> views = new LinkedHashMap<>();
    private final Map<String, ToggleButton> buttons = new LinkedHashMap<>();
    private final StackPane content = new StackPane();
    private String current;

    private final StatusBar statusBar;
    /** The rig to show once the fleet lists it (the window was opened on a context). */
    private String wantedRig;
    private javafx.scene.control.ComboBox<String> rigSwitcher;
    private final VBox sidebar = new VBox(2);

    public MainWindow(List<Page> pages, ConnectionViewModel connection) {
        getStyleClass().add("main-window");
        sidebar.getStyleClass().add("sidebar");
        sidebar.setPadding(new Insets(12, 8, 12, 8));
        Label brand = new Label("Rigdesk");
        brand.getStyleClass().add("brand");
        sidebar.getChildren().add(brand);
        ToggleGroup group = new ToggleGroup();
        int index = 0;
        for (Page page : pages) {
            index++;
            ToggleButton button = new ToggleButton(page.title());
            button.setTooltip(new javafx.scene.control.Tooltip(page.title() + " (Ctrl+" + index + ")"));
            button.setId("nav-" + page.id());
            button.getStyleClass().add("nav-button");
            button.setMaxWidth(Double.MAX_VALUE);
            button.setToggleGroup(group);
            button.setOnAction(e -> show(page.id()));
            buttons.put(page.id(), button);
            sidebar.getChildren().add(button);
            this.pages.put(page.id(), page);
        }
        // A selected page stays selected: clicking it again must not leave the sidebar empty.
        group.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null && old != null) {
                old.setSelected(true);
            }
        });
        VBox.setVgrow(content, Priority.ALWAYS);
        content.getStyleClass().add("page-area");
        setLeft(sidebar);
        setCenter(content);
        statusBar = new StatusBar(connection);
        setBottom(statusBar);
        show(pages.get(0).id());
    }

    public void show(String pageId) {
        Page page = pages.get(pageId);
        if (page == null) {
            return;
        }
        Node view = views.computeIfAbsent(pageId, id -> {
            Node built = page.view();
            built.setId("page-" + id);
            return built;
        });
        current = pageId;
        content.getChildren().setAll(view);
        buttons.get(pageId).setSelected(true);
    }

    /** Ctrl+1 … Ctrl+N open the pages in sidebar order: every page is a keystroke away. */
    public void installShortcuts(javafx.scene.Scene scene) {
        int index = 0;
        for (String pageId : pages.keySet()) {
            index++;
            scene.getAccelerators().put(javafx.scene.input.KeyCombination.keyCombination("Shortcut+" + index),
                    () -> show(pageId));
        }
    }

    /**
     * The rig the pages show, under the brand: local and every other rig of the fleet; choosing
     * one calls {@code choose} with its name.
     */
    public void addRigSwitcher(org.rigdesk.app.rigs.FleetViewModel fleet, java.util.function.Consumer<String> choose) {
        javafx.scene.control.ComboBox<String> rigs = new javafx.scene.control.ComboBox<>();
        rigs.setId("rig-switcher");
        rigs.setMaxWidth(Double.MAX_VALUE);
        rigs.setTooltip(new javafx.scene.control.Tooltip("The rig every page shows (Fleet shows them all)"));
        Runnable refresh = () -> {
            String chosen = rigs.getValue();
            java.util.List<String> names = fleet.rigs().stream().map(org.rigdesk.app.rigs.RigView::name).toList();
            if (!names.equals(rigs.getItems())) {
                rigs.getItems().setAll(names);
            }
            if (wantedRig != null && names.contains(wantedRig)) {
                chosen = wantedRig;
                wantedRig = null;
            }
            rigs.setValue(chosen != null && names.contains(chosen) ? chosen
                    : org.rigdesk.app.contexts.RigContext.LOCAL);
        };
        fleet.rigs().addListener((javafx.collections.ListChangeListener<org.rigdesk.app.rigs.RigView>) c -> refresh.run());
        refresh.run();
        rigs.valueProperty().addListener((obs, old, now) -> {
            if (now != null) {
                choose.accept(now);
            }
        });
        // Under the brand: the rig first, then its pages.
        sidebar.getChildren().add(1, rigs);
        rigSwitcher = rigs;
    }

    /** The rig the pages show, by its context's name (null until the switch is in the sidebar). */
    public javafx.beans.value.ObservableValue<String> rigProperty() {
        return rigSwitcher == null ? new javafx.beans.property.SimpleStringProperty() : rigSwitcher.valueProperty();
    }

    /** Shows {@code rig}'s pages, now or as soon as the fleet lists it. */
    public void chooseRig(String rig) {
        if (rigSwitcher != null && rigSwitcher.getItems().contains(rig)) {
            rigSwitcher.setValue(rig);
        } else {
            wantedRig = rig;
        }
    }

    /** Something to keep in sight on every page, under the page buttons (the GPUs' strip). */
    public void addToSidebar(Node node) {
        sidebar.getChildren().add(node);
    }

    public StatusBar statusBar() {
        return statusBar;
    }

    public String currentPage() {
        return current;
    }
}
