package org.rigdesk.app.gpus;

import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.layout.Pane;
import javafx.scene.shape.Polyline;

/** A small line of the last minute's load (0–100 %), redrawn as samples arrive. */
public class Sparkline extends Pane {

    private final Polyline line = new Polyline();
    private final ObservableList<Double> values;

    public Sparkline(ObservableList<Double> values) {
        this.values = values;
        getStyleClass().add("sparkline");
        line.getStyleClass().add("sparkline-line");
        getChildren().add(line);
        setPrefSize(220, 34);
        setMinHeight(34);
        values.addListener((ListChangeListener<Double>) change -> requestLayout());
        widthProperty().addListener((obs, o, n) -> requestLayout());
    }

    @Override
    protected void layoutChildren() {
        double width = getWidth();
        double height = getHeight() - 2;
        int count = values.size();
        Double[] points = new Double[Math.max(count, 0) * 2];
        for (int i = 0; i < count; i++) {
            double x = count == 1 ? width : width * i / (count - 1);
            double value = Math.max(0, Math.min(100, values.get(i)));
            points[2 * i] = x;
            points[2 * i + 1] = 1 + height - height * value / 100;
        }
        line.getPoints().setAll(points);
    }
}
