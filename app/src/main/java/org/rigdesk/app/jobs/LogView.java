package org.rigdesk.app.jobs;

import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Orientation;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.ScrollBar;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.text.Text;
import javafx.scene.text.TextBoundsType;

/**
 * A job's log drawn on a canvas, only the rows in view. A ListView's VirtualFlow adds up every
 * row's size on each layout (JavaFX 21 estimates sizes even with a fixed cell size): with 200,000
 * rows and a batch every 100 ms that was most of the UI thread's time in AppBench's flood, and
 * its frames dropped. Here a layout costs what the rows in view cost.
 * <p>
 * One row per line, in the monospace font and colours the stylesheet gives {@code .log-text} and
 * {@code .log-selection}; scrolled by wheel, scroll bars and keys; a line selected by a click or
 * by {@link #select}; Ctrl+C copies it. Lines dropped or added before the first row in view move
 * the view with them, so what the owner reads stays put. {@link #setOnEdge} hears when the owner
 * scrolls to (or pushes against) the top or the bottom, to read more lines back.
 */
final class LogView extends Region {

    /** Which edge the owner scrolled to. */
    enum Edge { TOP, BOTTOM }

    private static final int TAB = 8;

    private final ObservableList<String> lines;
    private final Canvas canvas = new Canvas();
    private final ScrollBar vertical = new ScrollBar();
    private final ScrollBar horizontal = new ScrollBar();
    /** Styled by the stylesheet: the font and colour rows are drawn in. */
    private final Text textStyle = new Text("M");
    /** Styled by the stylesheet: the selected row's background. */
    private final Region selectionStyle = new Region();
    private double rowHeight = 18;
    private double charWidth = 7.5;
    private double baseline = 13;
    private int top;
    private double left;
    private int selected = -1;
    private int longest;
    private boolean settingBars;
    private double wheelRows;
    private java.util.function.Consumer<Edge> onEdge = edge -> { };

    LogView(ObservableList<String> lines) {
        this.lines = lines;
        getStyleClass().add("log-view");
        textStyle.getStyleClass().add("log-text");
        selectionStyle.getStyleClass().add("log-selection");
        for (javafx.scene.Node style : new javafx.scene.Node[] {textStyle, selectionStyle}) {
            style.setManaged(false);
            style.setOpacity(0);
        }
        textStyle.setBoundsType(TextBoundsType.LOGICAL);
        textStyle.fontProperty().addListener((o, was, font) -> measure());
        vertical.setOrientation(Orientation.VERTICAL);
        horizontal.setOrientation(Orientation.HORIZONTAL);
        vertical.valueProperty().addListener((o, was, value) -> {
            if (!settingBars) {
                scrollTo((int) Math.round(value.doubleValue()), true);
            }
        });
        horizontal.valueProperty().addListener((o, was, value) -> {
            if (!settingBars) {
                left = value.doubleValue();
                requestLayout();
            }
        });
        getChildren().addAll(canvas, vertical, horizontal, textStyle, selectionStyle);
        setFocusTraversable(true);
        lines.addListener((ListChangeListener<String>) this::linesChanged);
        addEventHandler(ScrollEvent.SCROLL, this::wheel);
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
            requestFocus();
            int row = top + (int) (e.getY() / rowHeight);
            if (row < lines.size()) {
                selected = row;
                requestLayout();
            }
        });
        addEventHandler(KeyEvent.KEY_PRESSED, this::key);
        measure();
    }

    void setOnEdge(java.util.function.Consumer<Edge> onEdge) {
        this.onEdge = onEdge;
    }

    ObservableList<String> lines() {
        return lines;
    }

    /** Brings line {@code index} to the top (as far as the lines after it allow). */
    void scrollTo(int index) {
        scrollTo(index, false);
    }

    /** Selects line {@code index} and brings it into view. */
    void select(int index) {
        selected = index;
        if (index < top || index >= top + rows()) {
            scrollTo(index);
        }
        requestLayout();
    }

    int selectedIndex() {
        return selected;
    }

    /** The first line in view. */
    int topIndex() {
        return top;
    }

    /** How many rows the view shows. */
    int rows() {
        return Math.max(1, (int) (canvas.getHeight() / rowHeight));
    }

    private int lastTop() {
        return Math.max(0, lines.size() - rows());
    }

    private void scrollTo(int index, boolean byOwner) {
        int wanted = Math.max(0, Math.min(index, lastTop()));
        boolean moved = wanted != top;
        top = wanted;
        requestLayout();
        if (byOwner && (moved || index != wanted)) {
            if (top == 0) {
                onEdge.accept(Edge.TOP);
            } else if (top == lastTop()) {
                onEdge.accept(Edge.BOTTOM);
            }
        }
    }

    /** Lines dropped or added before the first row in view move it with them; so does the selection. */
    private void linesChanged(ListChangeListener.Change<? extends String> change) {
        while (change.next()) {
            int from = change.getFrom();
            if (change.wasRemoved()) {
                int removed = change.getRemovedSize();
                top -= Math.max(0, Math.min(removed, top - from));
                selected = selected < from ? selected : selected < from + removed ? -1 : selected - removed;
            }
            if (change.wasAdded()) {
                int added = change.getAddedSize();
                if (from < top || (from == 0 && lines.size() > added)) {
                    top += added;
                }
                if (selected >= from) {
                    selected += added;
                }
                for (int i = from; i < change.getTo(); i++) {
                    longest = Math.max(longest, lines.get(i).length());
                }
            }
        }
        if (lines.isEmpty()) {
            top = 0;
            left = 0;
            longest = 0;
            selected = -1;
        }
        requestLayout();
    }

    private void wheel(ScrollEvent e) {
        wheelRows -= e.getDeltaY() / rowHeight;
        int whole = (int) wheelRows;
        if (whole != 0) {
            wheelRows -= whole;
            scrollTo(top + whole, true);
        } else if (e.getDeltaY() > 0 && top == 0) {
            onEdge.accept(Edge.TOP); // pushing against the top
        } else if (e.getDeltaY() < 0 && top == lastTop()) {
            onEdge.accept(Edge.BOTTOM);
        }
        if (e.getDeltaX() != 0) {
            horizontal.setValue(Math.max(0, Math.min(horizontal.getMax(), left - e.getDeltaX())));
        }
        e.consume();
    }

    private void key(KeyEvent e) {
        int page = Math.max(1, rows() - 1);
        switch (e.getCode()) {
            case UP -> scrollTo(top - 1, true);
            case DOWN -> scrollTo(top + 1, true);
            case PAGE_UP -> scrollTo(top - page, true);
            case PAGE_DOWN -> scrollTo(top + page, true);
            case HOME -> scrollTo(top == 0 ? -1 : 0, true);
            case END -> scrollTo(top == lastTop() ? lastTop() + 1 : lastTop(), true);
            default -> {
                if (e.isShortcutDown() && e.getCode() == KeyCode.C && selected >= 0 && selected < lines.size()) {
                    ClipboardContent line = new ClipboardContent();
                    line.putString(lines.get(selected));
                    Clipboard.getSystemClipboard().setContent(line);
                } else {
                    return;
                }
            }
        }
        e.consume();
    }

    private void measure() {
        Text sample = new Text("MMMMMMMMMM");
        sample.setFont(textStyle.getFont());
        sample.setBoundsType(TextBoundsType.LOGICAL);
        charWidth = sample.getLayoutBounds().getWidth() / 10;
        rowHeight = Math.ceil(sample.getLayoutBounds().getHeight() + 4);
        baseline = 2 + sample.getBaselineOffset();
        requestLayout();
    }

    @Override
    protected void layoutChildren() {
        double barWidth = vertical.prefWidth(-1);
        double barHeight = horizontal.prefHeight(-1);
        double width = Math.max(0, getWidth() - barWidth);
        double height = Math.max(0, getHeight() - barHeight);
        canvas.setWidth(width);
        canvas.setHeight(height);
        vertical.resizeRelocate(width, 0, barWidth, height);
        horizontal.resizeRelocate(0, height, width, barHeight);
        top = Math.max(0, Math.min(top, lastTop()));
        double extent = Math.max(0, longest * charWidth + 12 - width);
        left = Math.max(0, Math.min(left, extent));
        settingBars = true;
        vertical.setMax(lastTop());
        vertical.setVisibleAmount(Math.max(1, lines.size() == 0 ? 1 : (double) rows() * lastTop() / lines.size()));
        vertical.setValue(top);
        vertical.setDisable(lastTop() == 0);
        horizontal.setMax(extent);
        horizontal.setVisibleAmount(extent == 0 ? 1 : width * extent / (longest * charWidth + 12));
        horizontal.setValue(left);
        horizontal.setDisable(extent == 0);
        settingBars = false;
        draw(width, height);
    }

    private void draw(double width, double height) {
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, width, height);
        g.setFont(textStyle.getFont());
        int firstColumn = (int) (left / charWidth);
        int columns = (int) (width / charWidth) + 2;
        double shift = -(left - firstColumn * charWidth) + 6;
        int end = Math.min(lines.size(), top + rows() + 1);
        for (int i = top; i < end; i++) {
            double y = (i - top) * rowHeight;
            if (i == selected) {
                g.setFill(selectionFill());
                g.fillRect(0, y, width, rowHeight);
            }
            String line = lines.get(i);
            if (line.length() > firstColumn) {
                g.setFill(textStyle.getFill() == null ? Color.BLACK : textStyle.getFill());
                g.fillText(visible(line, firstColumn, columns), shift, y + baseline);
            }
        }
    }

    /** The part of a line in view, tabs expanded (a canvas draws a tab as nothing). */
    private static String visible(String line, int firstColumn, int columns) {
        if (line.indexOf('\t') < 0) {
            return line.substring(firstColumn, Math.min(line.length(), firstColumn + columns));
        }
        StringBuilder expanded = new StringBuilder();
        for (int i = 0; i < line.length() && expanded.length() < firstColumn + columns; i++) {
            char c = line.charAt(i);
            if (c == '\t') {
                expanded.append(" ".repeat(TAB - expanded.length() % TAB));
            } else {
                expanded.append(c);
            }
        }
        return expanded.length() <= firstColumn ? "" : expanded.substring(firstColumn, Math.min(expanded.length(),
                firstColumn + columns));
    }

    private Paint selectionFill() {
        var background = selectionStyle.getBackground();
        return background == null || background.getFills().isEmpty() ? Color.rgb(128, 160, 255, 0.3)
                : background.getFills().get(0).getFill();
    }

    @Override
    protected double computePrefWidth(double height) {
        return 400;
    }

    @Override
    protected double computePrefHeight(double width) {
        return 300;
    }
}
