package org.rigdesk.app.gpus;

import java.util.List;
import java.util.stream.Collectors;
import javafx.scene.Node;
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
import org.rigdesk.api.wire.GpuSample;
import org.rigdesk.app.status.Look;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.LendingState;

/**
 * A GPU card: name (and "GPU 1 of 2" beside a twin), its state in the one vocabulary, the lend
 * switch in the header; the lending line; readings as bars; driver, IOMMU group and link behind
 * Details; any refusal in place. The boot display is a compact card: why it stays, nothing to flip.
 */
public class GpuCardView extends VBox {

    private final GpuCardViewModel model;
    private final ToggleSwitch toggle = new ToggleSwitch();
    private boolean syncing;
    /** The bar and value of each reading shown, by its name. */
    private final java.util.Map<String, GaugeRow> gaugeRows = new java.util.LinkedHashMap<>();
    private static final javafx.css.PseudoClass HIGH = javafx.css.PseudoClass.getPseudoClass("high");
    private static final javafx.css.PseudoClass COMPACT = javafx.css.PseudoClass.getPseudoClass("compact");

    public GpuCardView(GpuCardViewModel model) {
        this.model = model;
        getStyleClass().add("gpu-card");
        setId("gpu-" + model.bdf().replace(':', '-').replace('.', '-'));
        setSpacing(8);
        setPadding(new Insets(14));
        setMinWidth(0);

        Label name = new Label();
        name.getStyleClass().add("gpu-name");
        name.setMinWidth(0);
        Label twin = new Label();
        twin.getStyleClass().addAll("twin-chip", "small");
        twin.setId(getId() + "-twin");
        twin.textProperty().bind(model.twinProperty());
        twin.visibleProperty().bind(model.twinProperty().isNotEmpty());
        twin.managedProperty().bind(twin.visibleProperty());
        twin.setMinWidth(Region.USE_PREF_SIZE);
        Label badge = new Label();
        badge.getStyleClass().add("status-badge");
        badge.setId(getId() + "-badge");
        badge.setMinWidth(Region.USE_PREF_SIZE);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        ProgressIndicator progress = new ProgressIndicator();
        progress.setPrefSize(18, 18);
        progress.visibleProperty().bind(model.workingProperty());
        progress.managedProperty().bind(progress.visibleProperty());
        toggle.setId(getId() + "-toggle");
        toggle.setMinWidth(Region.USE_PREF_SIZE);
        model.workingProperty().addListener((obs, was, now) -> toggle.setDisable(now || lentByPolicy()));
        toggle.setTooltip(new Tooltip("On: lent to CI (the card and its group on vfio-pci, ready for job VMs).\n"
                + "Off: on your desk (its host driver)."));
        HBox header = new HBox(8, name, twin, spacer, progress, toggle);
        header.setAlignment(Pos.CENTER_LEFT);

        Label address = new Label();
        address.getStyleClass().addAll("text-muted", "mono", "small");
        address.setMinWidth(0);
        HBox.setHgrow(address, Priority.ALWAYS);
        HBox state = new HBox(10, badge, address);
        state.setAlignment(Pos.CENTER_LEFT);

        GridPane facts = new GridPane();
        facts.setHgap(10);
        facts.setVgap(3);
        facts.getStyleClass().add("gpu-facts");
        javafx.scene.control.TitledPane details = new javafx.scene.control.TitledPane("Details", facts);
        details.setId(getId() + "-details");
        details.setExpanded(false);
        details.setAnimated(false);
        details.getStyleClass().addAll("flat", "gpu-details");

        Label kept = new Label();
        kept.setId(getId() + "-kept");
        kept.getStyleClass().addAll("text-muted");
        kept.setWrapText(true);
        kept.managedProperty().bind(kept.visibleProperty());

        VBox live = live();
        VBox lendingBox = lending();
        getChildren().addAll(header, state, kept, lendingBox, live, details, refusal());

        Runnable compact = () -> {
            // The boot display shows the owner's desktop: never lent, so no switch, menu or readings.
            boolean boot = model.gpuProperty().get().bootVga();
            pseudoClassStateChanged(COMPACT, boot);
            kept.setVisible(boot);
            kept.setText("Shows your desktop: it stays on your desk and is never lent to CI.");
            for (Node node : List.of(toggle, live, details)) {
                node.setVisible(!boot);
                node.setManaged(!boot);
            }
            if (boot) {
                lendingBox.setVisible(false);
                lendingBox.setManaged(false);
            }
        };
        model.gpuProperty().addListener((obs, old, gpu) -> {
            show(gpu, name, badge, address, facts);
            compact.run();
        });
        model.holderProperty().addListener((obs, old, job) -> showBadge(badge));
        show(model.gpuProperty().get(), name, badge, address, facts);
        compact.run();
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

    /** The badge: the one vocabulary's icon, words and tone; the technical term in its tooltip. */
    private void showBadge(Label badge) {
        Look look = model.look();
        badge.setText(look.text());
        badge.setTooltip(new Tooltip(look.term()));
        badge.getStyleClass().removeIf(c -> c.startsWith("tone-"));
        badge.getStyleClass().add(look.tone().styleClass());
    }

    /**
     * Whom the card is lent to, in the owner's words, with what it can be lent as: the policy
     * menu, and "Cancel the job" while the card waits for one to come back.
     */
    private VBox lending() {
        Label policyWords = new Label();
        policyWords.getStyleClass().add("lending-policy");
        policyWords.setId(getId() + "-lending-policy");
        policyWords.setWrapText(true);
        policyWords.setMinHeight(Region.USE_PREF_SIZE);
        Label state = new Label();
        state.getStyleClass().add("lending-state");
        state.setId(getId() + "-lending");
        state.setWrapText(true);
        state.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        state.managedProperty().bind(state.visibleProperty());
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
        HBox line = new HBox(8, policyWords, spacer, policy);
        line.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(policyWords, Priority.SOMETIMES);
        VBox box = new VBox(4, line, state, next, cancel);
        box.getStyleClass().add("lending-line");
        Runnable show = () -> {
            Gpu gpu = model.gpuProperty().get();
            GpuLending lending = gpu.lending();
            box.setVisible(lending != null);
            box.setManaged(lending != null);
            if (lending == null) {
                return;
            }
            policyWords.setText(policyWords(lending.policy()));
            state.setText(lending.detail());
            // The badge and the policy already say where it is: the daemon's line shows only while the
            // card is on its way or held back (moving, returning, blocked), where it says why.
            state.setVisible(lending.is(LendingState.MOVING) || lending.is(LendingState.RETURNING)
                    || lending.is(LendingState.BLOCKED));
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
            desk.setDisable(GpuLending.DESK.equals(lending.policy()) && !gpu.is(GpuMode.VFIO));
            cancel.setVisible(lending.is(LendingState.RETURNING) && gpu.usedBy() != null);
            toggle.setDisable(GpuLending.ON_DEMAND.equals(lending.policy()) || GpuLending.SCHEDULE.equals(lending.policy()));
        };
        model.gpuProperty().addListener((obs, old, now) -> show.run());
        show.run();
        return box;
    }

    /** The owner's standing choice for the card, in words. */
    static String policyWords(String policy) {
        return switch (policy) {
            case GpuLending.CI -> "Lent to CI whenever it is free";
            case GpuLending.DESK -> "Kept on my desk";
            case GpuLending.ON_DEMAND -> "Lent when a queued job asks for it";
            case GpuLending.SCHEDULE -> "Lent on a schedule";
            default -> "Lending: " + policy;
        };
    }

    private javafx.scene.control.MenuItem item(String text, String id, Runnable action) {
        javafx.scene.control.MenuItem item = new javafx.scene.control.MenuItem(text);
        item.setId(getId() + "-lend-" + id);
        item.setOnAction(e -> action.run());
        return item;
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

    /** The live readings as bars (or one line saying why there are none) and the one-minute sparkline. */
    private VBox live() {
        GridPane readings = new GridPane();
        readings.setHgap(10);
        readings.setVgap(4);
        readings.getStyleClass().add("gpu-readings");
        readings.setId(getId() + "-readings");
        javafx.scene.layout.ColumnConstraints names = new javafx.scene.layout.ColumnConstraints();
        names.setMinWidth(Region.USE_PREF_SIZE);
        javafx.scene.layout.ColumnConstraints bars = new javafx.scene.layout.ColumnConstraints();
        bars.setHgrow(Priority.ALWAYS);
        bars.setMinWidth(40);
        javafx.scene.layout.ColumnConstraints values = new javafx.scene.layout.ColumnConstraints();
        values.setMinWidth(Region.USE_PREF_SIZE);
        values.setHalignment(javafx.geometry.HPos.RIGHT);
        readings.getColumnConstraints().addAll(names, bars, values);
        Label note = new Label();
        note.setId(getId() + "-readings-note");
        note.getStyleClass().add("text-muted");
        note.setWrapText(true);
        note.managedProperty().bind(note.visibleProperty());
        Sparkline sparkline = new Sparkline(model.recentLoad());
        sparkline.setId(getId() + "-sparkline");
        Label sparkTitle = new Label("Load, last 60 s");
        sparkTitle.getStyleClass().addAll("text-muted", "small");
        VBox spark = new VBox(2, sparkTitle, sparkline);
        // No sampler for this card (an iGPU, a card in a VM): no empty chart either.
        spark.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(model.recentLoad()));
        spark.managedProperty().bind(spark.visibleProperty());
        Runnable refresh = () -> showReadings(readings, note);
        model.sampleProperty().addListener((obs, old, now) -> refresh.run());
        model.gpuProperty().addListener((obs, old, now) -> refresh.run());
        refresh.run();
        return new VBox(6, readings, note, spark);
    }

    private void show(Gpu gpu, Label name, Label badge, Label address, GridPane facts) {
        name.setText(gpu.name());
        showBadge(badge);
        address.setText(gpu.bdf() + " · " + gpu.vendor());
        address.setTooltip(new Tooltip(address.getText()));
        facts.getChildren().clear();
        int row = 0;
        row = fact(facts, row, "Driver", gpu.driver() == null ? "none" : gpu.driver());
        row = fact(facts, row, "IOMMU group", gpu.iommuGroup() == null ? "none (IOMMU off)"
                : gpu.iommuGroup() + groupSummary(gpu));
        row = fact(facts, row, "PCIe link", gpu.link() == null ? "n/a"
                : (gpu.link().speed() == null ? "?" : gpu.link().speed())
                + (gpu.link().width() == null ? "" : " x" + gpu.link().width()));
        if (!gpu.passthrough().possible() && !gpu.is(GpuMode.VFIO)) {
            fact(facts, row, "Cannot be lent", gpu.passthrough().blockers().stream()
                    .map(b -> b.detail() == null ? b.code() : b.detail()).distinct().collect(Collectors.joining("; ")));
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
        toggle.setSelected(model.gpuProperty().get().is(GpuMode.VFIO));
        syncing = false;
    }

    /**
     * Shows the latest readings. A sample arrives every second per card: the rows are kept and
     * their values set, and only rebuilt when the set of readings changes (a card enters a VM).
     */
    private void showReadings(GridPane readings, Label note) {
        Gpu gpu = model.gpuProperty().get();
        GpuSample sample = model.sampleProperty().get();
        String why = GpuCardViewModel.readingsNote(gpu, sample);
        note.setText(why == null ? "" : why);
        note.setVisible(why != null);
        List<GpuCardViewModel.Gauge> gauges = GpuCardViewModel.gauges(gpu, sample);
        List<String> names = gauges.stream().map(GpuCardViewModel.Gauge::name).toList();
        if (!names.equals(List.copyOf(gaugeRows.keySet()))) {
            readings.getChildren().clear();
            gaugeRows.clear();
            int row = 0;
            for (GpuCardViewModel.Gauge gauge : gauges) {
                Label key = new Label(gauge.name());
                key.getStyleClass().add("text-muted");
                javafx.scene.control.ProgressBar bar = new javafx.scene.control.ProgressBar();
                bar.getStyleClass().add("gauge");
                bar.setMaxWidth(Double.MAX_VALUE);
                bar.setId(getId() + "-" + gauge.name().toLowerCase() + "-bar");
                Label value = new Label();
                value.getStyleClass().add("reading");
                value.setId(getId() + "-" + gauge.name().toLowerCase());
                readings.addRow(row++, key, bar, value);
                gaugeRows.put(gauge.name(), new GaugeRow(bar, value));
            }
        }
        for (GpuCardViewModel.Gauge gauge : gauges) {
            GaugeRow row = gaugeRows.get(gauge.name());
            row.value().setText(gauge.text());
            row.bar().setVisible(gauge.fraction() != null);
            row.bar().setProgress(gauge.fraction() == null ? 0 : Math.min(1, gauge.fraction()));
            row.bar().pseudoClassStateChanged(HIGH, gauge.high());
            row.value().pseudoClassStateChanged(HIGH, gauge.high());
        }
    }

    private record GaugeRow(javafx.scene.control.ProgressBar bar, Label value) {
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
