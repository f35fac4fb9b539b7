package org.rigdesk.app.ui;

import javafx.scene.Node;
import javafx.scene.control.TableView;

/** What the pages' tables share. */
public final class Tables {

    private static final double ROW = 30;

    private Tables() {
    }

    /** A table as tall as its rows (at least one, for its placeholder): no blank band under a short list. */
    public static void fitToRows(TableView<?> table) {
        table.setFixedCellSize(ROW);
        Node header = table.lookup(".column-header-background");
        double headerHeight = header == null || header.getBoundsInLocal().getHeight() <= 0 ? 40
                : header.getBoundsInLocal().getHeight();
        double height = headerHeight + Math.max(1, table.getItems().size()) * ROW + 4;
        table.setPrefHeight(height);
        table.setMinHeight(height);
        table.setMaxHeight(height);
    }
}
