package org.rigdesk.app.gpus;

import java.util.stream.Collectors;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import atlantafx.base.controls.ToggleSwitch;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuLending;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.LendingState;

/** A GPU card: name, address, mode badge, facts, the passthrough switch and any refusal in place. */
public class GpuCardView extends VBox {

    private final GpuCardViewModel model;
    private final ToggleSwitch toggle = new ToggleSwitch("Passthrough");
    private boolean syncing;
    /** The value label of each reading shown, by its name. */
    private final java.util.Map<String, Label> readingLabels = new java.util.LinkedHashMap<>();

    public GpuCardView(GpuCardViewModel model) {
        this.model = model;
        getStyleClass().add("gpu-card");
        setId("gpu-" + model.bdf().replace(':', '-').replace('.', '-'));
        setSpacing(8);
        setPadding(new Insets(14));
        setPrefWidth(360);
        setMinWidth(300);

        Label name = new Label();
        name.getStyleClass().add("gpu-name");
        name.setMinWidth(0);
        Label badge = new Label();
        badge.getStyleClass().add("mode-badge");
        badge.setId(getId() + "-badge");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(8, name, spacer, badge);
        header.setAlignment(Pos.CENTER_LEFT);

        Label address = new Label();
        address.getStyleClass().addAll("text-muted", "mono");

        GridPane facts = new GridPane();
        facts.setHgap(10);
        facts.setVgap(3);
        facts.getStyleClass().add("gpu-facts");

        getChildren().addAll(header, address, lending(), live(), facts, controls(), refusal());

        model.gpuProperty().addListener((obs, old, gpu) -> show(gpu, name, badge, address, facts));
        model.holderStateProperty().addListener((obs, old, state) -> showBadge(badge));
        show(model.gpuProperty().get(), name, badge, address, facts);
        model.workingProperty().addListener((obs, was, now) -> {
            if (!now) {
                syncToggle();
            }
        });
        toggle.selectedProperty().addListener((obs, was, on) -> {
            if (!syncing) {
                confirmAndRequest(on);
            }
        });
        name.textProperty().addListener((obs, o, n) -> name.setTooltip(new Tooltip(n)));
    }

    /** The badge's words and style, both from the card's state. */
    private void showBadge(Label badge) {
        Gpu gpu = model.gpuProperty().get();
        CardState state = CardState.of(gpu, model.holderStateProperty().get());
        badge.setText(state.badge(gpu));
        badge.getStyleClass().removeIf(c -> c.startsWith("mode-") && !c.equals("mode-badge"));
        badge.getStyleClass().add(state.styleClass());
    }

    /**
     * Whom the card is lent to, in the owner's words, with what it can be lent as: the policy
     * menu, and "Cancel the job" while the card waits for one to come back.
     */
    private VBox lending() {
        Label state = new Label();
        state.getStyleClass().add("lending-state");
        state.setId(getId() + "-lending");
        state.setWrapText(true);
        state.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        Label next = new Label();
        next.getStyleClass().addAll("text-muted", "small");
        next.setId(getId() + "-lending-next");
        next.managedProperty().bind(next.visibleProperty());
        javafx.scene.control.MenuItem ci = item("Lend to CI", "ci", () -> model.lend(GpuLending.CI));
        javafx.scene.control.MenuItem onDemand = item("Lend on demand (when a job asks)", "on-demand",
                () -> model.lend(GpuLending.ON_DEMAND));
        javafx.scene.control.MenuItem schedule = item("Lend on a schedule…", "schedule", model::lendOnSchedule);
        javafx.scene.control.MenuItem desk = item("Use on my desk", "desk", model::reclaim);
        javafx.scene.control.MenuButton policy = new javafx.scene.control.MenuButton("Lending");
        policy.setId(getId() + "-lending-menu");
        policy.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        policy.getItems().addAll(ci, onDemand, schedule, new javafx.scene.control.SeparatorMenuItem(), desk);
        policy.disableProperty().bind(model.workingProperty());
        policy.managedProperty().bind(policy.visibleProperty());
        Button cancel = new Button("Cancel the job and take it back");
        cancel.setId(getId() + "-cancel-for-desk");
        cancel.getStyleClass().add("danger");
        cancel.setOnAction(e -> model.cancelJobAndReclaim());
        cancel.managedProperty().bind(cancel.visibleProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox line = new HBox(8, state, spacer, policy);
        line.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(state, Priority.SOMETIMES);
        VBox box = new VBox(4, line, next, cancel);
        box.getStyleClass().add("lending-line");
        Runnable show = () -> {
            Gpu gpu = model.gpuProperty().get();
            GpuLending lending = gpu.lending();
            box.setVisible(lending != null);
            box.setManaged(lending != null);
            if (lending == null) {
                return;
            }
            state.setText(lending.detail());
            state.setTooltip(new Tooltip("Policy: " + lending.policy() + " · now " + lending.effective()
                    + " · " + lending.state() + (lending.policy().equals(GpuLending.ON_DEMAND)
                    || lending.policy().equals(GpuLending.SCHEDULE) ? "\nOn demand, a runner waits "
                    + lending.idleSeconds() + " s for its job before the GPU comes back." : "")));
            box.getStyleClass().removeIf(c -> c.startsWith("lending-") && !c.equals("lending-line"));
            box.getStyleClass().add("lending-" + lending.state());
            String change = GpuCardViewModel.nextChange(gpu, java.time.ZoneId.systemDefault());
            next.setText(change == null ? "" : change);
            next.setVisible(change != null);
            policy.setVisible(!gpu.bootVga());
            ci.setDisable(GpuLending.CI.equals(lending.policy()));
            onDemand.setDisable(GpuLending.ON_DEMAND.equals(lending.policy()));
            desk.setDisable(GpuLending.DESK.equals(lending.policy()) && !Gpu.VFIO.equals(gpu.mode()));
            cancel.setVisible(LendingState.RETURNING.wire().equals(lending.state()) && gpu.usedBy() != null);
            toggle.setDisable(GpuLending.ON_DEMAND.equals(lending.policy()) || GpuLending.SCHEDULE.equals(lending.policy()));
        };
        model.gpuProperty().addListener((obs, old, now) -> show.run());
        show.run();
        return box;
    }

    private javafx.scene.control.MenuItem item(String text, String id, Runnable action) {
        javafx.scene.control.MenuItem item = new javafx.scene.control.MenuItem(text);
        item.setId(getId() + "-lend-" + id);
        item.setOnAction(e -> action.run());
        return item;
    }

    /** The switch and, while the daemon works on it, a spinner. */
    private HBox controls() {
        ProgressIndicator progress = new ProgressIndicator();
        progress.setPrefSize(18, 18);
        progress.visibleProperty().bind(model.workingProperty());
        progress.managedProperty().bind(progress.visibleProperty());
        toggle.setId(getId() + "-toggle");
        model.workingProperty().addListener((obs, was, now) -> toggle.setDisable(now || lentByPolicy()));
        toggle.setTooltip(new Tooltip("On: the card and its group are bound to vfio-pci, ready for job VMs.\n"
                + "Off: the card is on its host driver."));
        HBox controls = new HBox(10, toggle, progress);
        controls.setAlignment(Pos.CENTER_LEFT);
        return controls;
    }

    /** The daemon's last refusal in place, with its remedy, until dismissed. */
    private VBox refusal() {
        Label problem = new Label();
        problem.setId(getId() + "-problem");
        problem.getStyleClass().add("problem");
        problem.setWrapText(true);
        problem.textProperty().bind(model.problemProperty());
        Label remedy = new Label();
        remedy.setId(getId() + "-remedy");
        remedy.getStyleClass().add("remedy");
        remedy.setWrapText(true);
        remedy.textProperty().bind(model.remedyProperty());
        remedy.visibleProperty().bind(model.remedyProperty().isNotEmpty());
        remedy.managedProperty().bind(remedy.visibleProperty());
        Button dismiss = new Button("Dismiss");
        dismiss.getStyleClass().add("flat");
        dismiss.setOnAction(e -> model.dismissProblem());
        VBox refusal = new VBox(4, problem, remedy, dismiss);
        refusal.getStyleClass().add("refusal");
        refusal.visibleProperty().bind(model.problemProperty().isNotEmpty());
        refusal.managedProperty().bind(refusal.visibleProperty());
        return refusal;
    }

    /** The live readings and the one-minute sparkline. */
    private VBox live() {
        GridPane readings = new GridPane();
        readings.setHgap(10);
        readings.setVgap(3);
        readings.getStyleClass().add("gpu-readings");
        readings.setId(getId() + "-readings");
        Sparkline sparkline = new Sparkline(model.recentLoad());
        sparkline.setId(getId() + "-sparkline");
        Label sparkTitle = new Label("Load, last 60 s");
        sparkTitle.getStyleClass().addAll("text-muted", "small");
        VBox spark = new VBox(2, sparkTitle, sparkline);
        // No sampler for this card (an iGPU, a card in a VM): no empty chart either.
        spark.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(model.recentLoad()));
        spark.managedProperty().bind(spark.visibleProperty());
        model.sampleProperty().addListener((obs, old, now) -> showReadings(readings));
        model.gpuProperty().addListener((obs, old, now) -> showReadings(readings));
        showReadings(readings);
        return new VBox(4, readings, spark);
    }

    private void show(Gpu gpu, Label name, Label badge, Label address, GridPane facts) {
        name.setText(gpu.name());
        showBadge(badge);
        address.setText(gpu.bdf() + " · " + gpu.vendor());
        facts.getChildren().clear();
        int row = 0;
        row = fact(facts, row, "Driver", gpu.driver() == null ? "none" : gpu.driver());
        row = fact(facts, row, "IOMMU group", gpu.iommuGroup() == null ? "none (IOMMU off)"
                : gpu.iommuGroup() + groupSummary(gpu));
        row = fact(facts, row, "PCIe link", gpu.link() == null ? "n/a"
                : (gpu.link().speed() == null ? "?" : gpu.link().speed())
                + (gpu.link().width() == null ? "" : " x" + gpu.link().width()));
        if (!gpu.passthrough().possible() && !Gpu.VFIO.equals(gpu.mode())) {
            fact(facts, row, "Passthrough", "not possible: " + gpu.passthrough().blockers().stream()
                    .map(Gpu.Blocker::code).distinct().collect(Collectors.joining(", ")));
        }
        syncToggle();
    }

    /** On demand and on a schedule the daemon moves the card: the switch is not the owner's then. */
    private boolean lentByPolicy() {
        GpuLending lending = model.gpuProperty().get().lending();
        return lending != null && (GpuLending.ON_DEMAND.equals(lending.policy())
                || GpuLending.SCHEDULE.equals(lending.policy()));
    }

    /** The switch shows where the card is, not where the user last pushed it. */
    private void syncToggle() {
        syncing = true;
        toggle.setSelected(Gpu.VFIO.equals(model.gpuProperty().get().mode()));
        syncing = false;
    }

    /**
     * Shows the latest readings. A sample arrives every second per card: the labels are kept and
     * their text set, and only rebuilt when the set of readings changes (a card enters a VM).
     */
    private void showReadings(GridPane readings) {
        var rows = GpuCardViewModel.readings(model.gpuProperty().get(), model.sampleProperty().get());
        if (!rows.keySet().equals(readingLabels.keySet())) {
            readings.getChildren().clear();
            readingLabels.clear();
            int row = 0;
            for (String name : rows.keySet()) {
                Label key = new Label(name);
                key.getStyleClass().add("text-muted");
                Label value = new Label();
                value.getStyleClass().add("reading");
                value.setId(getId() + "-" + name.toLowerCase());
                readings.addRow(row++, key, value);
                readingLabels.put(name, value);
            }
        }
        rows.forEach((name, value) -> readingLabels.get(name).setText(value));
    }

    private static String groupSummary(Gpu gpu) {
        String peers = gpu.groupDevices().stream().filter(d -> !"bridge".equals(d.role()))
                .map(Gpu.GroupDevice::role).collect(Collectors.joining(", "));
        return peers.isEmpty() ? "" : " (with " + peers + ")";
    }

    private static int fact(GridPane facts, int row, String label, String value) {
        Label key = new Label(label);
        key.getStyleClass().add("text-muted");
        Label text = new Label(value);
        text.setWrapText(true);
        facts.addRow(row, key, text);
        return row + 1;
    }

    private void confirmAndRequest(boolean toVfio) {
        if (!model.toggle(toVfio ? GpuMode.VFIO : GpuMode.HOST)) {
            syncToggle();
        }
    }
}
