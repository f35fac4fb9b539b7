package org.rigdesk.app.telemetry;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.shape.Line;
import javafx.scene.text.Text;

/** A history chart with jobs' starts and ends drawn as thin vertical lines over the plot. */
class MarkedChart extends LineChart<Number, Number> {

    private final List<Node> drawn = new ArrayList<>();
    private List<TelemetryViewModel.Mark> marks = List.of();

    MarkedChart(NumberAxis time, NumberAxis values) {
        super(time, values);
    }

    void marks(List<TelemetryViewModel.Mark> latest) {
        marks = List.copyOf(latest);
        requestChartLayout();
    }

    @Override
    protected void layoutPlotChildren() {
        super.layoutPlotChildren();
        getPlotChildren().removeAll(drawn);
        drawn.clear();
        NumberAxis time = (NumberAxis) getXAxis();
        NumberAxis values = (NumberAxis) getYAxis();
        double top = values.getDisplayPosition(values.getUpperBound());
        double bottom = values.getDisplayPosition(values.getLowerBound());
        double right = time.getDisplayPosition(time.getUpperBound());
        int row = 0;
        for (TelemetryViewModel.Mark mark : marks) {
            double x = time.getDisplayPosition(mark.epochSecond());
            Line line = new Line(x, top, x, bottom);
            line.getStyleClass().addAll("job-mark", mark.start() ? "job-mark-start" : "job-mark-end");
            // Text, not a Label: the plot is a Group, which never gives a control its size. Rows take
            // turns so neighbouring marks do not write over each other; a start reads to the right
            // of its line, an end (or a start near the right edge) to the left.
            Text label = new Text(mark.label());
            label.getStyleClass().add("job-mark-label");
            label.applyCss();
            double width = label.getLayoutBounds().getWidth();
            boolean left = !mark.start() || x + 3 + width > right;
            label.setX(left ? x - 3 - width : x + 3);
            label.setY(top + 11 + 13 * (row++ % 3));
            label.setMouseTransparent(true);
            drawn.add(line);
            drawn.add(label);
        }
        getPlotChildren().addAll(drawn);
    }
}
