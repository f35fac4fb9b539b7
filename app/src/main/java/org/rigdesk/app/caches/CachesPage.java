package org.rigdesk.app.caches;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import org.rigdesk.api.wire.CacheInfo;
import org.rigdesk.app.format.ByteSize;
import org.rigdesk.app.ui.Page;
import org.rigdesk.app.ui.PageScaffold;

/** The Caches page: a row per cache (size, cap, last use and commit, recent jobs) and Clear. */
public class CachesPage implements Page {

    private static final java.time.format.DateTimeFormatter WHEN = java.time.format.DateTimeFormatter
            .ofPattern("EEE HH:mm").withZone(java.time.ZoneId.systemDefault());

    private final CachesViewModel model;

    public CachesPage(CachesViewModel model) {
        this.model = model;
    }

    @Override
    public String id() {
        return "caches";
    }

    @Override
    public String title() {
        return "Caches";
    }

    @Override
    public Node view() {
        TableView<CacheInfo> table = new TableView<>(model.caches());
        table.setId("caches-table");
        table.setPlaceholder(new Label("No caches yet."));
        table.getColumns().add(column("Cache", CacheInfo::name));
        table.getColumns().add(column("Size", c -> ByteSize.human(c.sizeBytes()) + " of " + ByteSize.human(c.capBytes())));
        table.getColumns().add(column("Last used", c -> c.lastUsed() == null ? "never" : WHEN.format(c.lastUsed())));
        table.getColumns().add(column("Last kept", c -> c.lastCommit() == null ? "never"
                : WHEN.format(c.lastCommit()) + " by job #" + c.lastCommitJob()));
        table.getColumns().add(column("In use by", c -> c.inUseBy().isEmpty() ? "–"
                : String.join(", ", c.inUseBy().stream().map(id -> "#" + id).toList())));
        table.getColumns().add(column("Recent jobs", CachesViewModel::recentWords));
        double[] widths = {190, 150, 100, 170, 90};
        for (int i = 0; i < widths.length; i++) {
            table.getColumns().get(i).setPrefWidth(widths[i]);
            table.getColumns().get(i).setMinWidth(widths[i] * 0.6);
        }
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        // As tall as its caches: the selected cache's jobs take the rest of the page.
        model.caches().addListener((javafx.collections.ListChangeListener<CacheInfo>) change ->
                org.rigdesk.app.ui.Tables.fitToRows(table));
        org.rigdesk.app.ui.Tables.fitToRows(table);
        TableView<CacheInfo.Use> uses = usesTable();
        Label usesTitle = new Label("Select a cache to see what its recent jobs found and did");
        usesTitle.getStyleClass().add("title-4");
        table.getSelectionModel().selectedItemProperty().addListener((obs, old, cache) -> {
            uses.getItems().setAll(cache == null ? java.util.List.of() : cache.recent());
            usesTitle.setText(cache == null ? "Select a cache to see what its recent jobs found and did"
                    : "Recent jobs of " + cache.name());
        });
        model.caches().addListener((javafx.collections.ListChangeListener<CacheInfo>) change -> {
            if (table.getSelectionModel().getSelectedItem() == null && !model.caches().isEmpty()) {
                table.getSelectionModel().select(0);
            }
        });
        javafx.scene.layout.VBox.setVgrow(uses, javafx.scene.layout.Priority.ALWAYS);
        Button clear = new Button("Clear…");
        clear.setId("caches-clear");
        clear.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        clear.setOnAction(e -> model.clear(table.getSelectionModel().getSelectedItem()));
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> model.reload());
        Label status = new Label();
        status.setId("caches-status");
        status.setWrapText(true);
        status.textProperty().bind(model.statusProperty());
        status.visibleProperty().bind(model.statusProperty().isNotEmpty());
        status.managedProperty().bind(status.visibleProperty());
        Label about = new Label("A job mounts a cache at /cache (HF_HOME, TORCH_HOME, PIP_CACHE_DIR point into it). "
                + "What a trusted job that succeeded wrote is kept for the next job; what any other job wrote is "
                + "thrown away, so a pull request can read a cache but never change it.");
        about.getStyleClass().add("text-muted");
        about.setWrapText(true);
        return PageScaffold.filling(10, model::reload, PageScaffold.heading("Caches"), about,
                new HBox(8, clear, refresh), status, table, usesTitle, uses);
    }

    /**
     * One cache's recent jobs: whether each found a kept cache (a hit) or an empty one (a miss),
     * what it wrote into its layer, and whether that was kept, and why.
     */
    private static TableView<CacheInfo.Use> usesTable() {
        TableView<CacheInfo.Use> uses = new TableView<>();
        uses.setId("caches-uses");
        uses.setPlaceholder(new Label("No job has used this cache yet."));
        uses.getColumns().add(useColumn("Job", 70, use -> "#" + use.jobId()));
        uses.getColumns().add(useColumn("Found", 200, use -> use.warm() == null ? "–"
                : use.hit() ? org.rigdesk.app.status.Vocabulary.OK + " a kept cache (hit)"
                : org.rigdesk.app.status.Vocabulary.WAITING + " an empty cache (miss)"));
        uses.getColumns().add(useColumn("Wrote", 90, use -> use.writtenBytes() == null ? "–"
                : ByteSize.human(use.writtenBytes())));
        uses.getColumns().add(useColumn("Outcome", 110, use -> switch (use.outcome()) {
            case "committed" -> "Kept";
            case "discarded" -> "Thrown away";
            case "running" -> "Running";
            default -> use.outcome();
        }));
        uses.getColumns().add(useColumn("Why", 300, use -> use.reason() == null ? "" : use.reason()));
        uses.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        return uses;
    }

    private static TableColumn<CacheInfo.Use, String> useColumn(String title, double width,
                                                               java.util.function.Function<CacheInfo.Use, String> value) {
        TableColumn<CacheInfo.Use, String> column = column(title, value);
        column.setPrefWidth(width);
        return column;
    }

    private static <T> TableColumn<T, String> column(String title, java.util.function.Function<T, String> value) {
        TableColumn<T, String> column = new TableColumn<>(title);
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        return column;
    }
}
