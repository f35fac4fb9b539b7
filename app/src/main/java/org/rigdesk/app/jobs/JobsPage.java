package org.rigdesk.app.jobs;

import org.rigdesk.app.format.Elapsed;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Job;
import org.rigdesk.app.ui.Page;
import org.rigdesk.app.ui.PageScaffold;

/** The Jobs page: a live table, a state filter, the selected job's log (virtualised), run and cancel. */
public class JobsPage implements Page {

    private static final DateTimeFormatter TODAY = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter EARLIER = DateTimeFormatter.ofPattern("MMM d HH:mm").withZone(ZoneId.systemDefault());

    private final JobsViewModel model;

    public JobsPage(JobsViewModel model) {
        this.model = model;
    }

    @Override
    public String id() {
        return "jobs";
    }

    @Override
    public String title() {
        return "Jobs";
    }

    @Override
    public Node view() {
        Label heading = PageScaffold.heading("Jobs");
        ChoiceBox<String> filter = new ChoiceBox<>();
        filter.setId("jobs-filter");
        List<String> states = new ArrayList<>(List.of(JobsViewModel.ALL));
        states.addAll(JobState.wires());
        filter.setItems(FXCollections.observableArrayList(states));
        filter.valueProperty().bindBidirectional(model.filterProperty());
        Button run = new Button("Run…");
        run.setId("jobs-run");
        run.getStyleClass().add("accent");
        run.setOnAction(e -> model.runFromDialog());
        Button cancel = new Button("Cancel job");
        cancel.setId("jobs-cancel");
        cancel.disableProperty().bind(model.selectedProperty().isNull().or(
                javafx.beans.binding.Bindings.createBooleanBinding(() -> model.selectedProperty().get() == null
                        || model.selectedProperty().get().finished(), model.selectedProperty())));
        cancel.setOnAction(e -> model.cancelSelected());
        Button github = new Button("Open on GitHub");
        github.setId("jobs-open-github");
        github.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> model.githubUrl(model.selectedProperty().get()) == null, model.selectedProperty()));
        github.setOnAction(e -> open(model.githubUrl(model.selectedProperty().get())));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label filterLabel = new Label("State");
        filterLabel.setLabelFor(filter);
        HBox toolbar = new HBox(8, heading, spacer, filterLabel, filter, github, cancel, run);
        toolbar.setAlignment(Pos.CENTER_LEFT);
        Label message = new Label();
        message.setId("jobs-message");
        message.getStyleClass().add("problem");
        message.textProperty().bind(model.messageProperty());
        message.visibleProperty().bind(model.messageProperty().isNotEmpty());
        message.managedProperty().bind(message.visibleProperty());
        message.setWrapText(true);

        Label waiting = new Label();
        waiting.setId("jobs-waiting-runners");
        waiting.getStyleClass().add(org.rigdesk.app.status.Tone.IDLE.styleClass());
        waiting.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            long n = model.waitingRunnersProperty().get();
            return org.rigdesk.app.status.Vocabulary.WAITING + " " + n + (n == 1 ? " runner is" : " runners are")
                    + " waiting for a job (see Runner)";
        }, model.waitingRunnersProperty()));
        waiting.visibleProperty().bind(model.waitingRunnersProperty().greaterThan(0));
        waiting.managedProperty().bind(waiting.visibleProperty());

        TableView<Job> table = table();
        SplitPane split = new SplitPane(table, detailPane());
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.42);
        VBox.setVgrow(split, Priority.ALWAYS);
        return PageScaffold.filling(10, null, toolbar, message, waiting, split);
    }

    private TableView<Job> table() {
        TableView<Job> table = new TableView<>(model.shown());
        table.setId("jobs-table");
        table.setPlaceholder(new Label("No jobs yet. Run one with “Run…”, or `rigdesk run -- COMMAND`."));
        table.getColumns().add(column("ID", 50, job -> Long.toString(job.id())));
        TableColumn<Job, String> name = column("Name", 300, job -> job.repository() != null
                ? job.repository() + " / " + job.workflow() + " / " + job.jobName() : job.name());
        name.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(String value, boolean empty) {
                super.updateItem(value, empty);
                setText(empty ? null : value);
                // A name cut by the column is whole in its tooltip.
                setTooltip(empty || value == null ? null : new javafx.scene.control.Tooltip(value));
            }
        });
        table.getColumns().add(name);
        TableColumn<Job, Job> state = new TableColumn<>("State");
        state.setPrefWidth(130);
        state.setMinWidth(110);
        state.setCellValueFactory(cell -> new javafx.beans.property.ReadOnlyObjectWrapper<>(cell.getValue()));
        state.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(Job job, boolean empty) {
                super.updateItem(job, empty);
                getStyleClass().removeIf(s -> s.startsWith("tone-"));
                if (empty || job == null) {
                    setText(null);
                    setTooltip(null);
                    return;
                }
                org.rigdesk.app.status.Look look = org.rigdesk.app.status.Vocabulary.job(job);
                setText(look.text());
                setTooltip(new javafx.scene.control.Tooltip(look.term()
                        + (job.error() == null ? "" : "\n" + job.error())));
                getStyleClass().add(look.tone().styleClass());
            }
        });
        table.getColumns().add(state);
        table.getColumns().add(column("GPUs", 110, job -> job.gpus().isEmpty() ? "–"
                : job.gpus().stream().map(b -> b.startsWith("0000:") ? b.substring(5) : b)
                        .collect(java.util.stream.Collectors.joining(", ")) + (job.gpusSimulated() ? " (sim.)" : "")));
        table.getColumns().add(column("VMM", 70, job -> job.vmm() == null ? "–" : job.vmm()));
        table.getColumns().add(column("Started", 110, JobsPage::started));
        table.getColumns().add(column("Elapsed", 90, Elapsed::compact));
        TableColumn<Job, String> exit = column("Exit", 50, job -> job.exitCode() == null ? "–" : job.exitCode().toString());
        exit.setMinWidth(50);
        table.getColumns().add(exit);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null) {
                model.selectedProperty().set(now);
            }
        });
        // The other way too: a job chosen elsewhere (the tray, Run…) is the row selected, so the log
        // below is always the selected row's.
        Runnable follow = () -> {
            Job job = model.selectedProperty().get();
            if (job == null) {
                table.getSelectionModel().clearSelection();
                return;
            }
            Job row = table.getSelectionModel().getSelectedItem();
            if (row == null || row.id() != job.id()) {
                model.shown().stream().filter(j -> j.id() == job.id()).findFirst().ifPresent(j -> {
                    table.getSelectionModel().select(j);
                    table.scrollTo(j);
                });
            }
        };
        model.selectedProperty().addListener((obs, old, now) -> follow.run());
        // After the table has taken the change in (a replaced row loses its selection in it).
        model.shown().addListener((ListChangeListener<Job>) change -> javafx.application.Platform.runLater(follow));
        return table;
    }

    private static <T> TableColumn<T, String> column(String title, double width, Function<T, String> value) {
        TableColumn<T, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setMinWidth(Math.min(width, 90)); // titles stay readable when the window narrows
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        return column;
    }

    /** Opens a web page with the desktop's browser (xdg-open), off the UI thread. */
    private static void open(String url) {
        if (url == null) {
            return;
        }
        Thread opener = new Thread(() -> {
            try {
                new ProcessBuilder("xdg-open", url).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            } catch (java.io.IOException e) {
                java.util.logging.Logger.getLogger(JobsPage.class.getName()).warning("cannot open " + url + ": "
                        + e.getMessage());
            }
        }, "open-url");
        opener.setDaemon(true);
        opener.start();
    }

    static String started(Job job) {
        if (job.startedAt() == null) {
            return "–";
        }
        boolean today = job.startedAt().atZone(ZoneId.systemDefault()).toLocalDate()
                .equals(java.time.LocalDate.now(ZoneId.systemDefault()));
        return (today ? TODAY : EARLIER).format(job.startedAt());
    }

    /** The selected job's log and its network, a tab each. */
    private Node detailPane() {
        Tab logTab = new Tab("Log", logPane());
        Tab networkTab = new Tab("Network", networkPane());
        networkTab.setId("job-network-tab");
        TabPane tabs = new TabPane(logTab, networkTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        return tabs;
    }

    /** Where the selected job's VM went, what it was refused, the names it asked for. */
    private Node networkPane() {
        NetworkViewModel network = model.network();
        Label summary = new Label();
        summary.setId("job-network-summary");
        summary.setWrapText(true);
        summary.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() ->
                model.selectedProperty().get() == null ? "Select a job to see its network"
                        : network.summaryProperty().get(), model.selectedProperty(), network.summaryProperty()));
        Button refresh = new Button("Refresh");
        refresh.setId("job-network-refresh");
        refresh.disableProperty().bind(model.selectedProperty().isNull());
        refresh.setOnAction(e -> network.show(model.selectedProperty().get()));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, summary, spacer, refresh);
        bar.setAlignment(Pos.CENTER_LEFT);
        TableView<NetworkViewModel.Row> rows = new TableView<>(network.rows());
        rows.setId("job-network-rows");
        rows.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        rows.setPlaceholder(new Label("No traffic"));
        rows.getColumns().add(JobsPage.<NetworkViewModel.Row>column("", 90, NetworkViewModel.Row::kind));
        rows.getColumns().add(JobsPage.<NetworkViewModel.Row>column("Destination", 200, NetworkViewModel.Row::destination));
        rows.getColumns().add(JobsPage.<NetworkViewModel.Row>column("Port", 60, NetworkViewModel.Row::port));
        rows.getColumns().add(JobsPage.<NetworkViewModel.Row>column("Proto", 60, NetworkViewModel.Row::protocol));
        rows.getColumns().add(JobsPage.<NetworkViewModel.Row>column("Name / answer", 220, NetworkViewModel.Row::name));
        rows.getColumns().add(JobsPage.<NetworkViewModel.Row>column("Count", 110, NetworkViewModel.Row::count));
        rows.getColumns().add(JobsPage.<NetworkViewModel.Row>column("Bytes", 90, NetworkViewModel.Row::bytes));
        VBox.setVgrow(rows, Priority.ALWAYS);
        VBox pane = new VBox(6, bar, rows);
        pane.setPadding(new Insets(8, 0, 0, 0));
        return pane;
    }

    private Node logPane() {
        LogViewModel log = model.log();
        Label title = new Label();
        title.getStyleClass().add("title-4");
        title.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            Job job = model.selectedProperty().get();
            return job == null ? "Select a job to see its log" : "Log of job #" + job.id() + " · "
                    + org.rigdesk.app.status.Vocabulary.job(job).text() + (job.error() == null ? "" : " · " + job.error());
        }, model.selectedProperty()));
        TextField search = new TextField();
        search.setId("log-search");
        search.setPromptText("Find in log");
        search.setOnAction(e -> findNext(search.getText()));
        CheckBox follow = new CheckBox("Follow");
        follow.setId("log-follow");
        follow.selectedProperty().bindBidirectional(log.followProperty());
        Button copy = new Button("Copy");
        copy.setId("log-copy");
        copy.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(log.text());
            Clipboard.getSystemClipboard().setContent(content);
        });
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, title, spacer, search, follow, copy);
        bar.setAlignment(Pos.CENTER_LEFT);
        LogView lines = new LogView(log.lines());
        lines.setId("log-lines");
        log.lines().addListener((ListChangeListener<String>) change -> {
            if (log.followProperty().get()) {
                lines.scrollTo(log.lines().size());
            }
        });
        log.followProperty().addListener((o, was, now) -> {
            if (now) {
                lines.scrollTo(log.lines().size());
            }
        });
        // At the top of what the view holds, the lines before it are read back from the daemon
        // (the view keeps the line in view in place); at the bottom of a window that stopped short,
        // the lines after it.
        lines.setOnEdge(edge -> {
            if (edge == LogView.Edge.TOP && log.hasEarlier()) {
                log.loadEarlier(added -> { });
            } else if (edge == LogView.Edge.BOTTOM && log.hasLater()) {
                log.loadLater(last -> { });
            }
        });
        this.logList = lines;
        Label status = new Label();
        status.getStyleClass().addAll("text-muted", "small");
        status.textProperty().bind(log.statusProperty());
        VBox.setVgrow(lines, Priority.ALWAYS);
        VBox pane = new VBox(6, bar, lines, status);
        pane.setPadding(new Insets(8, 0, 0, 0));
        return pane;
    }

    private LogView logList;


    private void findNext(String text) {
        if (text == null || text.isEmpty() || logList == null) {
            return;
        }
        List<String> lines = model.log().lines();
        int start = Math.max(0, logList.selectedIndex() + 1);
        for (int i = 0; i < lines.size(); i++) {
            int index = (start + i) % lines.size();
            if (lines.get(index).contains(text)) {
                model.log().followProperty().set(false);
                logList.select(index);
                return;
            }
        }
    }
}
