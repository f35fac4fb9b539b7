package org.rigdesk.app.fleet;

import java.util.List;
import java.util.Locale;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuSample;
import org.rigdesk.api.wire.Job;
import org.rigdesk.app.format.GpuNames;
import org.rigdesk.app.rigs.FleetViewModel;
import org.rigdesk.app.rigs.RigView;
import org.rigdesk.app.status.Look;
import org.rigdesk.app.status.Tone;
import org.rigdesk.app.status.Vocabulary;
import org.rigdesk.app.ui.Page;
import org.rigdesk.app.ui.PageScaffold;

/**
 * The Fleet page: every rig at a glance, a card each — reached or not (with ssh's reason), its
 * GPUs (mode, lending, load, health), its running jobs and its runner. Rigs are added in
 * Settings → Rigs (or with {@code rigdesk context add}).
 */
public class FleetPage implements Page {

    private final FleetViewModel model;

    public FleetPage(FleetViewModel model) {
        this.model = model;
    }

    @Override
    public String id() {
        return "fleet";
    }

    @Override
    public String title() {
        return "Fleet";
    }

    @Override
    public Node view() {
        Label summary = new Label();
        summary.setId("fleet-summary");
        summary.getStyleClass().add("summary");
        FlowPane cards = new FlowPane(14, 14);
        cards.setId("fleet-rigs");
        Runnable redraw = () -> {
            cards.getChildren().setAll(model.rigs().stream().map(FleetPage::card).toList());
            long reached = model.rigs().stream().filter(r -> r.reach() == RigView.Reach.REACHABLE).count();
            long look = model.rigs().stream().filter(RigView::needsALook).count();
            summary.setText(model.rigs().size() + (model.rigs().size() == 1 ? " rig" : " rigs") + " · " + reached
                    + " reached · " + model.runningEverywhere() + " jobs running"
                    + (look == 0 ? "" : " · " + look + " need" + (look == 1 ? "s" : "") + " a look"));
        };
        model.rigs().addListener((ListChangeListener<RigView>) change -> redraw.run());
        redraw.run();
        Label hint = new Label("Add a rig in Settings → Rigs, or: rigdesk context add NAME ssh://USER@HOST");
        hint.getStyleClass().addAll("text-muted", "small");
        return PageScaffold.scrolling(10, null, null, PageScaffold.heading("Fleet"), summary, cards, hint);
    }

    static Node card(RigView rig) {
        VBox card = new VBox(6);
        card.setId("rig-" + rig.name());
        card.getStyleClass().add("gpu-card");
        card.setPadding(new Insets(12));
        card.setPrefWidth(440);
        Label name = new Label(rig.name());
        name.getStyleClass().add("gpu-name");
        Label reach = badge(reach(rig));
        reach.setId("rig-" + rig.name() + "-reach");
        HBox title = new HBox(10, name, reach);
        Label endpoint = new Label(rig.endpoint());
        endpoint.getStyleClass().addAll("text-muted", "small", "mono");
        card.getChildren().addAll(title, endpoint);
        if (rig.reason() != null) {
            Label reason = new Label(rig.reason());
            reason.setId("rig-" + rig.name() + "-reason");
            reason.setWrapText(true);
            reason.getStyleClass().addAll("refusal", "small", "mono");
            card.getChildren().add(reason);
        }
        if (rig.reach() == RigView.Reach.CONNECTING) {
            return card;
        }
        List<Gpu> lendable = rig.gpus().stream().filter(g -> !g.bootVga()).toList();
        if (lendable.isEmpty()) {
            card.getChildren().add(new Label("No GPU to lend"));
        }
        GridPane gpus = new GridPane();
        gpus.setHgap(10);
        gpus.setVgap(4);
        int row = 0;
        for (Gpu gpu : lendable) {
            Job holder = rig.running().stream().filter(j -> Long.toString(j.id()).equals(gpu.usedBy())).findFirst()
                    .orElse(null);
            GpuSample sample = rig.samples().get(gpu.bdf());
            Label model = new Label(GpuNames.label(gpu).replaceFirst("^(NVIDIA )?GeForce ", ""));
            model.setMinWidth(Region.USE_PREF_SIZE);
            Label state = badge(Vocabulary.gpu(gpu, holder));
            state.setId("rig-" + rig.name() + "-gpu-" + gpu.bdf().replaceAll("[:.]", "-"));
            Label facts = new Label((sample == null || sample.utilizationGpu() == null ? "n/a"
                    : String.format(Locale.ROOT, "%.0f%%", sample.utilizationGpu()))
                    + (gpu.health() == null || gpu.health().ok() ? "" : " · quarantined"));
            facts.getStyleClass().add("text-muted");
            facts.setMinWidth(Region.USE_PREF_SIZE);
            gpus.addRow(row++, model, state, facts);
        }
        card.getChildren().add(gpus);
        Label jobs = new Label(rig.running().isEmpty() ? "No job running" : rig.running().size() + " running: "
                + String.join(", ", rig.running().stream().limit(4).map(j -> "#" + j.id() + " " + j.name()).toList()));
        jobs.setId("rig-" + rig.name() + "-jobs");
        Label runner = new Label(rig.runner() == null ? "Runner: unknown"
                : "Runner: " + Vocabulary.runner(rig.runner().state()).text());
        card.getChildren().addAll(jobs, runner);
        return card;
    }

    private static Look reach(RigView rig) {
        return switch (rig.reach()) {
            case CONNECTING -> new Look(Vocabulary.MOVING, "Connecting…", Tone.MOVING, "looking at the rig");
            case REACHABLE -> new Look(Vocabulary.OK, "Reachable", Tone.GOOD, "its daemon answers");
            case UNREACHABLE -> new Look(Vocabulary.FAILED, "Unreachable", Tone.BAD,
                    "retried every few seconds; it comes back by itself");
        };
    }

    private static Label badge(Look look) {
        Label badge = new Label(look.text());
        badge.getStyleClass().addAll("mode-badge", look.tone().styleClass());
        badge.setTooltip(new javafx.scene.control.Tooltip(look.term()));
        return badge;
    }
}
