package org.rigdesk.app.caches;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import org.rigdesk.api.wire.CacheInfo;
import org.rigdesk.app.jobs.ByteSize;
import org.rigdesk.app.shell.Page;
import org.rigdesk.app.shell.PageScaffold;

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
        double[] widths = {200, 180, 110, 170, 100};
        for (int i = 0; i < widths.length; i++) {
            table.getColumns().get(i).setPrefWidth(widths[i]);
            table.getColumns().get(i).setMinWidth(widths[i] * 0.6);
        }
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
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
                new HBox(8, clear, refresh), status, table);
    }

    private static TableColumn<CacheInfo, String> column(String title, java.util.function.Function<CacheInfo, String> value) {
        TableColumn<CacheInfo, String> column = new TableColumn<>(title);
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        return column;
    }
}
