package org.rigdesk.app.telemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.FileChooser;
import javafx.util.Duration;
import javafx.util.StringConverter;
import org.rigdesk.api.wire.ComputeProcess;
import org.rigdesk.api.wire.GpuSample;
import org.rigdesk.api.wire.TelemetryHistory;
import org.rigdesk.app.gpus.GpuCardViewModel;
import org.rigdesk.app.gpus.GpusViewModel;
import org.rigdesk.app.ui.Page;
import org.rigdesk.app.ui.PageScaffold;

/** The Telemetry page: history charts per GPU with a window selector, CSV export, processes, nvidia-smi. */
public class TelemetryPage implements Page {

    private final TelemetryViewModel model;
    private final GpusViewModel gpus;

    public TelemetryPage(TelemetryViewModel model, GpusViewModel gpus) {
        this.model = model;
        this.gpus = gpus;
    }

    @Override
    public String id() {
        return "telemetry";
    }

    @Override
    public String title() {
        return "Telemetry";
    }

    @Override
    public Node view() {
        GridPane facts = facts();
        Runnable fillFacts = () -> fillFacts(facts);
        model.gpuProperty().addListener((obs, old, now) -> fillFacts.run());
        gpus.cards().addListener((ListChangeListener<GpuCardViewModel>) change -> fillFacts.run());
        fillFacts.run();
        Label resolution = new Label();
        resolution.setId("telemetry-resolution");
        resolution.getStyleClass().addAll("text-muted", "small");
        resolution.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            String collecting = TelemetryViewModel.collecting(model.points(), model.windowProperty().get(),
                    java.time.Instant.now(), ZoneId.systemDefault());
            return (collecting.isEmpty() ? "" : collecting + " · ") + model.resolutionProperty().get();
        }, model.resolutionProperty(), model.points(), model.windowProperty()));
        // Facts are looked up once in a while: folded, so the charts come first.
        javafx.scene.control.TitledPane about = new javafx.scene.control.TitledPane("About this GPU", facts);
        about.setId("telemetry-about");
        about.setExpanded(false);
        about.setAnimated(false);
        Label message = new Label();
        message.getStyleClass().add("problem");
        message.textProperty().bind(model.messageProperty());
        message.visibleProperty().bind(model.messageProperty().isNotEmpty());
        message.managedProperty().bind(message.visibleProperty());
        Label processTitle = new Label("Compute processes");
        processTitle.getStyleClass().add("title-4");
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> model.reloadTable());
        Label tableTitle = new Label("nvidia-smi");
        tableTitle.getStyleClass().add("title-4");
        HBox tableBar = new HBox(10, tableTitle, refresh);
        tableBar.setAlignment(Pos.CENTER_LEFT);

        // Live while shown: history and processes every 5 s, the table on first show and on request.
        Timeline refreshTimer = new Timeline(new KeyFrame(Duration.seconds(5), e -> {
            model.reload();
            fillFacts.run(); // the UUID and driver version come with the first sample
        }));
        refreshTimer.setCycleCount(Timeline.INDEFINITE);
        return PageScaffold.scrolling(12, () -> {
            model.reload();
            model.reloadTable();
            refreshTimer.play();
        }, refreshTimer::stop, toolbar(), resolution, message, charts(), processTitle, processes(), about, tableBar,
                smiTable());
    }

    /** The heading, the GPU picker, the time windows and the export. */
    private HBox toolbar() {
        Label heading = PageScaffold.heading("Telemetry");
        ChoiceBox<String> gpu = gpuPicker();
        HBox windows = new HBox();
        windows.getStyleClass().add("segmented");
        ToggleGroup group = new ToggleGroup();
        for (int seconds : TelemetryViewModel.WINDOWS) {
            ToggleButton button = new ToggleButton(seconds >= 86_400 ? "24 h" : seconds / 60 + " min");
            button.setId("window-" + seconds);
            button.setToggleGroup(group);
            button.setSelected(seconds == model.windowProperty().get());
            button.setOnAction(e -> {
                model.windowProperty().set(seconds);
                button.setSelected(true);
            });
            windows.getChildren().add(button);
        }
        Button export = new Button("Export CSV…");
        export.setId("telemetry-export");
        export.setOnAction(e -> exportCsv(export));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        // The heading and the buttons keep their width; the GPU picker gives way on a narrow window.
        heading.setMinWidth(Region.USE_PREF_SIZE);
        export.setMinWidth(Region.USE_PREF_SIZE);
        windows.getChildren().forEach(b -> ((ToggleButton) b).setMinWidth(Region.USE_PREF_SIZE));
        windows.setMinWidth(Region.USE_PREF_SIZE);
        gpu.setMinWidth(120);
        gpu.setMaxWidth(340);
        HBox toolbar = new HBox(10, heading, spacer, gpu, windows, export);
        toolbar.setAlignment(Pos.CENTER_LEFT);
        return toolbar;
    }

    /** Every card by name and address; it starts on the first one a sampler can see. */
    private ChoiceBox<String> gpuPicker() {
        ChoiceBox<String> gpu = new ChoiceBox<>();
        gpu.setId("telemetry-gpu");
        gpu.setConverter(new StringConverter<>() {
            @Override
            public String toString(String bdf) {
                return bdf == null ? "" : gpus.cards().stream().filter(c -> c.bdf().equals(bdf)).findFirst()
                        .map(c -> c.gpuProperty().get().name() + " · " + bdf).orElse(bdf);
            }

            @Override
            public String fromString(String text) {
                return text;
            }
        });
        Runnable fillGpus = () -> {
            List<String> bdfs = gpus.cards().stream().map(GpuCardViewModel::bdf).toList();
            gpu.getItems().setAll(bdfs);
            if (model.gpuProperty().get() == null || !bdfs.contains(model.gpuProperty().get())) {
                // Start on the busiest card the host can read.
                Map<String, org.rigdesk.api.wire.GpuSample> latest = new java.util.HashMap<>();
                gpus.cards().forEach(c -> {
                    if (c.sampleProperty().get() != null) {
                        latest.put(c.bdf(), c.sampleProperty().get());
                    }
                });
                model.gpuProperty().set(TelemetryViewModel.busiest(gpus.cards().stream()
                        .map(c -> c.gpuProperty().get()).toList(), latest));
            }
            gpu.setValue(model.gpuProperty().get());
        };
        gpus.cards().addListener((ListChangeListener<GpuCardViewModel>) change -> fillGpus.run());
        fillGpus.run();
        gpu.valueProperty().addListener((obs, old, now) -> {
            if (now != null) {
                model.gpuProperty().set(now);
            }
        });
        return gpu;
    }

    private static GridPane facts() {
        GridPane facts = new GridPane();
        facts.setId("telemetry-facts");
        facts.setHgap(12);
        facts.setVgap(4);
        return facts;
    }

    /** The chosen card's facts: UUID, driver, PCIe link, NUMA node, IOMMU group and its devices. */
    private void fillFacts(GridPane facts) {
        facts.getChildren().clear();
        gpus.cards().stream().filter(c -> c.bdf().equals(model.gpuProperty().get())).findFirst().ifPresent(card -> {
            int row = 0;
            for (Map.Entry<String, String> fact : GpuFacts.of(card.gpuProperty().get(),
                    card.sampleProperty().get()).entrySet()) {
                Label key = new Label(fact.getKey());
                key.getStyleClass().add("text-muted");
                key.setMinWidth(Region.USE_PREF_SIZE);
                Label value = new Label(fact.getValue());
                value.setWrapText(true);
                facts.addRow(row++, key, value);
            }
        });
    }

    private GridPane charts() {
        GridPane charts = new GridPane();
        charts.setHgap(12);
        charts.setVgap(12);
        for (int metric = 0; metric < 4; metric++) {
            LineChart<Number, Number> chart = chart(metric);
            GridPane.setHgrow(chart, Priority.ALWAYS);
            charts.add(chart, metric % 2, metric / 2);
        }
        return charts;
    }

    private TableView<ComputeProcess> processes() {
        TableView<ComputeProcess> processes = new TableView<>(model.processes());
        processes.setId("telemetry-processes");
        processes.setPrefHeight(120);
        processes.setPlaceholder(new Label("No compute processes on this GPU."));
        processes.getColumns().add(column("PID", p -> Long.toString(p.pid())));
        processes.getColumns().add(column("Process", ComputeProcess::name));
        processes.getColumns().add(column("GPU memory", p -> p.usedMemoryMiB() == null ? "n/a"
                : Math.round(p.usedMemoryMiB()) + " MiB"));
        processes.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        return processes;
    }

    private TextArea smiTable() {
        TextArea table = new TextArea();
        table.setId("telemetry-smi");
        table.setEditable(false);
        table.getStyleClass().add("smi-table");
        table.setPrefRowCount(18);
        table.textProperty().bind(model.tableProperty());
        return table;
    }

    private LineChart<Number, Number> chart(int metric) {
        NumberAxis time = new NumberAxis();
        // The window, not the data, sets the time axis: an empty chart still reads as "the last 5 min".
        time.setAutoRanging(false);
        time.setTickLabelFormatter(new StringConverter<>() {
            private final DateTimeFormatter minutes = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());
            private final DateTimeFormatter seconds = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

            @Override
            public String toString(Number epoch) {
                var format = model.windowProperty().get() <= 900 ? seconds : minutes;
                return format.format(java.time.Instant.ofEpochSecond(epoch.longValue()));
            }

            @Override
            public Number fromString(String text) {
                return 0;
            }
        });
        NumberAxis values = new NumberAxis();
        // Fixed scales (0–100 %, the card's memory, its power limit): a line's height means the same every time.
        values.setAutoRanging(false);
        values.setLowerBound(0);
        values.setLabel(TelemetryViewModel.UNITS[metric]);
        MarkedChart chart = new MarkedChart(time, values);
        chart.setId("chart-" + metric);
        chart.setTitle(TelemetryViewModel.NAMES[metric]);
        chart.setLegendVisible(false);
        chart.setCreateSymbols(false);
        chart.setAnimated(false);
        chart.setPrefHeight(200);
        chart.setMinWidth(280);
        XYChart.Series<Number, Number> series = new XYChart.Series<>();
        chart.getData().add(series);
        Runnable fill = () -> {
            long now = java.time.Instant.now().getEpochSecond();
            int window = model.windowProperty().get();
            time.setLowerBound(now - window);
            time.setUpperBound(now);
            time.setTickUnit(window / 5.0);
            List<XYChart.Data<Number, Number>> data = new java.util.ArrayList<>();
            for (TelemetryHistory.Point point : model.points()) {
                Double value = TelemetryViewModel.value(point, metric);
                if (value != null) {
                    data.add(new XYChart.Data<>(point.at().getEpochSecond(), value));
                }
            }
            series.getData().setAll(data);
            GpuSample latest = gpus.cards().stream().filter(c -> c.bdf().equals(model.gpuProperty().get()))
                    .findFirst().map(c -> c.sampleProperty().get()).orElse(null);
            double top = TelemetryViewModel.upperBound(metric, latest, model.points());
            values.setUpperBound(top);
            values.setTickUnit(TelemetryViewModel.tickUnit(top));
            chart.setTitle(TelemetryViewModel.title(metric, model.points()));
            chart.marks(TelemetryViewModel.jobMarks(gpus.jobs(), model.gpuProperty().get(),
                    java.time.Instant.ofEpochSecond(now - window), java.time.Instant.ofEpochSecond(now)));
        };
        model.points().addListener((ListChangeListener<TelemetryHistory.Point>) change -> fill.run());
        fill.run();
        return chart;
    }

    private static TableColumn<ComputeProcess, String> column(String title,
                                                              java.util.function.Function<ComputeProcess, String> value) {
        TableColumn<ComputeProcess, String> column = new TableColumn<>(title);
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        return column;
    }

    private void exportCsv(Node owner) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export telemetry");
        chooser.setInitialFileName("rigdesk-" + String.valueOf(model.gpuProperty().get()).replace(':', '-') + ".csv");
        var file = chooser.showSaveDialog(owner.getScene().getWindow());
        if (file != null) {
            try {
                Files.writeString(file.toPath(), model.csv());
            } catch (IOException e) {
                model.messageProperty().set("Cannot write " + file + ": " + e.getMessage());
            }
        }
    }
}
