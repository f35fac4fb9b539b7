package org.rigdesk.app.runner;

import java.util.List;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.app.ui.Page;
import org.rigdesk.app.ui.PageScaffold;

/** The Runner page: a short wizard when not registered, the registration and our runners when registered. */
public class RunnerPage implements Page {

    private final RunnerViewModel model;

    public RunnerPage(RunnerViewModel model) {
        this.model = model;
    }

    @Override
    public String id() {
        return "runner";
    }

    @Override
    public String title() {
        return "Runner";
    }

    @Override
    public Node view() {
        Label problem = new Label();
        problem.setId("runner-problem");
        problem.getStyleClass().add("problem");
        problem.setWrapText(true);
        problem.textProperty().bind(model.problemProperty());
        Label remedy = new Label();
        remedy.setId("runner-remedy");
        remedy.getStyleClass().add("remedy");
        remedy.setWrapText(true);
        remedy.textProperty().bind(model.remedyProperty());
        VBox refusal = new VBox(4, problem, remedy);
        refusal.visibleProperty().bind(model.problemProperty().isNotEmpty());
        refusal.managedProperty().bind(refusal.visibleProperty());

        StackPane body = new StackPane();
        Node wizard = wizard();
        Node registered = registered();
        Runnable swap = () -> body.getChildren().setAll(model.statusProperty().get().registered() ? registered : wizard);
        model.statusProperty().addListener((obs, old, now) -> swap.run());
        swap.run();

        return PageScaffold.scrolling(14, model::reload, null, PageScaffold.heading("GitHub runner"), refusal, body);
    }

    private Node wizard() {
        Label intro = new Label("Register this workstation for a GitHub organisation or repository. Workflows with "
                + "runs-on: [self-hosted, gpu] then run here, each job in a fresh VM.");
        intro.setWrapText(true);
        TextField url = new TextField();
        url.setId("runner-url");
        url.setPromptText("https://github.com/OWNER/REPO or https://github.com/ORG");
        url.textProperty().bindBidirectional(model.urlProperty());
        TextField apiUrl = new TextField();
        apiUrl.setId("runner-api-url");
        apiUrl.setPromptText("only for GitHub Enterprise Server: https://HOST/api/v3");
        apiUrl.textProperty().bindBidirectional(model.apiUrlProperty());
        PasswordField token = new PasswordField();
        token.setId("runner-token");
        token.setPromptText("paste the token");
        token.textProperty().bindBidirectional(model.tokenProperty());
        Label permissions = new Label("A fine-grained personal access token with Administration: write on the "
                + "repository, or Self-hosted runners: write on the organisation. It is checked with GitHub at once, "
                + "kept readable by root only, and never shown again.");
        TextField appId = new TextField();
        appId.setId("runner-app-id");
        appId.setPromptText("App id or client id");
        appId.setPrefColumnCount(12);
        appId.textProperty().bindBidirectional(model.appIdProperty());
        TextField appKey = new TextField();
        appKey.setId("runner-app-key");
        appKey.setPromptText("/path/to/app.private-key.pem");
        appKey.setPrefColumnCount(24);
        appKey.textProperty().bindBidirectional(model.appKeyFileProperty());
        Label appHint = hint("A GitHub App signs in with short-lived installation tokens, no person behind them. "
                + "Permissions: Administration (repository) or Self-hosted runners (organisation): read and write; "
                + "Actions and Metadata: read. The key is kept readable by root only.");
        permissions.setWrapText(true);
        permissions.getStyleClass().addAll("text-muted", "small");

        FlowPane chips = new FlowPane(6, 6);
        chips.setId("runner-labels");
        TextField label = new TextField();
        label.setId("runner-label-input");
        label.setPromptText("add a label, Enter");
        label.setPrefColumnCount(12);
        label.setOnAction(e -> {
            if (model.addLabel(label.getText())) {
                label.clear();
            }
        });
        model.labels().addListener((ListChangeListener<String>) change -> {
            chips.getChildren().setAll(model.labels().stream().map(this::chip).toList());
        });
        Label defaults = new Label("Your own labels, for runs-on; the standard ones are added by Rigdesk.");
        defaults.getStyleClass().addAll("text-muted", "small");

        Spinner<Integer> gpus = new Spinner<>(0, 16, model.gpuSlotsProperty().get());
        gpus.valueProperty().addListener((obs, o, n) -> model.gpuSlotsProperty().set(n));
        Spinner<Integer> cpus = new Spinner<>(0, 16, model.cpuSlotsProperty().get());
        cpus.valueProperty().addListener((obs, o, n) -> model.cpuSlotsProperty().set(n));

        javafx.scene.control.ChoiceBox<String> egress = new javafx.scene.control.ChoiceBox<>(
                javafx.collections.FXCollections.observableArrayList("open", "allow-list", "audit"));
        egress.setId("runner-egress");
        egress.valueProperty().bindBidirectional(model.egressProperty());
        javafx.scene.control.TextArea allow = new javafx.scene.control.TextArea();
        allow.setId("runner-egress-allow");
        // A prompt shows on one line: its entries are spaced, the hint says one per line.
        allow.setPromptText("github.com    *.githubusercontent.com    pypi.org");
        allow.setPrefRowCount(3);
        allow.setPrefColumnCount(24);
        allow.getStyleClass().add("mono");
        allow.textProperty().bindBidirectional(model.egressAllowProperty());
        allow.disableProperty().bind(model.egressProperty().isEqualTo("open"));
        Label egressHint = hint("Runner VMs reach the internet, never this computer or the LAN. allow-list: only "
                + "these (one host name, *.wildcard or IPv4 block per line); audit: everything, and each job's "
                + "network log names what the list would refuse.");

        Button register = new Button("Check token and register");
        register.setId("runner-register");
        register.getStyleClass().add("accent");
        register.setOnAction(e -> model.register());

        GridPane form = new GridPane();
        form.setHgap(12);
        form.setVgap(10);
        form.addRow(0, key("Scope URL"), url);
        form.addRow(1, key("API URL"), apiUrl);
        // One way of signing in shows at a time: a token (most owners), or a GitHub App (organisations).
        javafx.scene.control.ToggleGroup signIn = new javafx.scene.control.ToggleGroup();
        javafx.scene.control.RadioButton byToken = new javafx.scene.control.RadioButton("a token");
        byToken.setId("runner-sign-in-token");
        javafx.scene.control.RadioButton byApp = new javafx.scene.control.RadioButton("a GitHub App");
        byApp.setId("runner-sign-in-app");
        byToken.setToggleGroup(signIn);
        byApp.setToggleGroup(signIn);
        byToken.setSelected(true);
        VBox tokenFields = new VBox(6, token, permissions);
        VBox appFields = new VBox(6, new HBox(8, appId, appKey), appHint);
        for (VBox fields : List.of(tokenFields, appFields)) {
            fields.managedProperty().bind(fields.visibleProperty());
        }
        tokenFields.visibleProperty().bind(byToken.selectedProperty());
        appFields.visibleProperty().bind(byApp.selectedProperty());
        // The hidden way is cleared, so the form never sends both.
        byToken.selectedProperty().addListener((obs, was, now) -> {
            if (now) {
                appId.clear();
                appKey.clear();
            } else {
                token.clear();
            }
        });
        Label signInKey = key("Sign in with");
        form.addRow(2, signInKey, new HBox(16, byToken, byApp));
        Label tokenKey = key("Token");
        GridPane.setValignment(tokenKey, javafx.geometry.VPos.TOP);
        tokenKey.setPadding(new javafx.geometry.Insets(4, 0, 0, 0)); // level with the field's text
        tokenKey.textProperty().bind(javafx.beans.binding.Bindings.when(byToken.selectedProperty())
                .then("Token").otherwise("GitHub App"));
        form.addRow(3, tokenKey, new StackPane(tokenFields, appFields));
        form.addRow(5, key("Labels"), new VBox(6, new HBox(8, label, chips), defaults));
        Label reach = hint("GPU slots take only jobs that ask for a GPU: runs-on: [self-hosted, gpu] (or gpu-<model>, "
                + "gpu-<N>gb). [self-hosted, linux] reaches CPU slots, never your card; a bare runs-on: self-hosted "
                + "matches any runner, a GPU one too.");
        form.addRow(6, key("GPU slots"), new HBox(12, gpus, reach));
        form.addRow(7, key("CPU slots"), cpus);
        Label networkKey = key("Network");
        GridPane.setValignment(networkKey, javafx.geometry.VPos.TOP);
        networkKey.setPadding(new javafx.geometry.Insets(4, 0, 0, 0)); // level with the choice's text
        form.addRow(8, networkKey, new VBox(6, egress, allow, egressHint));
        form.add(register, 1, 9);
        url.setPrefColumnCount(36);
        VBox wizard = new VBox(12, intro, form);
        wizard.setId("runner-wizard");
        return wizard;
    }

    /** The small muted text under a form's control, wrapped at the form's width. */
    private static Label hint(String text) {
        Label hint = new Label(text);
        hint.getStyleClass().addAll("text-muted", "small");
        hint.setWrapText(true);
        hint.setMaxWidth(460);
        return hint;
    }

    /** A form label that never gives up its width to the field beside it. */
    private static Label key(String text) {
        Label key = new Label(text);
        key.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return key;
    }

    private Node chip(String text) {
        Button remove = new Button("×");
        remove.getStyleClass().addAll("flat", "small");
        remove.setOnAction(e -> model.labels().remove(text));
        HBox chip = new HBox(2, new Label(text), remove);
        chip.setAlignment(Pos.CENTER_LEFT);
        chip.getStyleClass().add("chip");
        return chip;
    }

    /** Once registered: the registration's facts, the actions, the slots and our runners on GitHub. */
    private Node registered() {
        GridPane facts = new GridPane();
        facts.setId("runner-facts");
        facts.setHgap(12);
        facts.setVgap(6);
        TableView<RunnerStatus.Slot> slots = slotsTable();
        TableView<RunnerStatus.Runner> runners = runnersTable();
        TableView<RunnerStatus.QueuedJob> queued = queuedTable();
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> model.reload());
        Button pause = new Button("Pause");
        pause.setId("runner-pause");
        pause.setTooltip(new javafx.scene.control.Tooltip("Drain: running jobs finish, idle runners stop, "
                + "no new ones start"));
        pause.setOnAction(e -> model.setPaused(!model.statusProperty().get().paused()));
        Label github = new Label();
        github.setId("runner-github");
        github.getStyleClass().add("problem");
        github.setWrapText(true);
        github.managedProperty().bind(github.visibleProperty());
        Button remove = new Button("Remove registration…");
        remove.setId("runner-remove");
        remove.getStyleClass().add("danger");
        remove.setOnAction(e -> model.removeRegistration());
        Label health = new Label();
        health.setId("runner-health");
        health.getStyleClass().add("runner-health");
        health.setWrapText(true);
        model.statusProperty().addListener((obs, old, status) -> {
            if (!status.registered()) {
                facts.getChildren().clear();
                return;
            }
            showHealth(health, status);
            pause.setText(status.paused() ? "Resume" : "Pause");
            github.setVisible(status.github() != null);
            github.setText(status.github() == null ? "" : "GitHub: " + status.github());
            fillFacts(facts, status);
            runners.getItems().setAll(status.runners());
            slots.getItems().setAll(status.slots());
            queued.getItems().setAll(status.queued());
            for (TableView<?> table : java.util.List.of(runners, slots, queued)) {
                org.rigdesk.app.ui.Tables.fitToRows(table);
            }
        });
        HBox actions = new HBox(8, pause, refresh);
        Label slotsTitle = new Label("Slots");
        slotsTitle.getStyleClass().add("title-4");
        Label title = new Label("Our runners on GitHub");
        title.getStyleClass().add("title-4");
        Label queuedTitle = new Label("Waiting on GitHub for a runner like ours");
        queuedTitle.getStyleClass().add("title-4");
        // Removal undoes the registration: its own section, last, away from the everyday buttons.
        Label removeTitle = new Label("Remove this workstation from GitHub");
        removeTitle.getStyleClass().add("title-4");
        Label removeHint = new Label(RunnerViewModel.REMOVE_CONSEQUENCES + " Registering again takes a token.");
        removeHint.getStyleClass().add("text-muted");
        removeHint.setWrapText(true);
        VBox removal = new VBox(6, new javafx.scene.control.Separator(), removeTitle, removeHint, remove);
        removal.setPadding(new javafx.geometry.Insets(12, 0, 0, 0));
        return new VBox(12, health, actions, facts, github, slotsTitle, slots, queuedTitle, queued, title, runners,
                removal);
    }

    /** One line: the runner's state in the one vocabulary, and what its slots do. */
    private static void showHealth(Label health, RunnerStatus status) {
        org.rigdesk.app.status.Look look = org.rigdesk.app.status.Vocabulary.runner(status.state());
        long waiting = status.slots().stream().filter(s -> RunnerStatus.Slot.IDLE.equals(s.state())).count();
        long busy = status.slots().stream().filter(s -> RunnerStatus.Slot.BUSY.equals(s.state())).count();
        health.setText(look.text() + " · " + waiting + " waiting for a job · " + busy + " running"
                + (status.queued().isEmpty() ? "" : " · " + status.queued().size() + " queued on GitHub"));
        health.setTooltip(new javafx.scene.control.Tooltip(look.term()));
        health.getStyleClass().removeIf(c -> c.startsWith("tone-"));
        health.getStyleClass().add(look.tone().styleClass());
    }


    private static void fillFacts(GridPane facts, RunnerStatus status) {
        facts.getChildren().clear();
        int row = 0;
        for (String[] fact : new String[][] {
            {"Scope", status.scope() + " (" + status.url() + ")"},
            {"Signed in", "app".equals(status.signIn()) ? "as GitHub App " + status.appId() + ", installation "
                    + status.installationId() + " (tokens renewed hourly)" : "with a token " + status.tokenHint()},
            {"Runner group", status.runnerGroup() != null ? status.runnerGroup() + " (" + status.runnerGroupId() + ")"
                    : status.runnerGroupId() == 1 ? "Default (1)" : Long.toString(status.runnerGroupId())},
            {"Actions runner", runnerRelease(status.runnerRelease())},
            {"Which jobs go where", String.join("\n", status.reach())},
            {"Labels", status.labels().isEmpty() ? "–" : String.join(", ", status.labels())},
            {"Slots", status.gpuSlots() + " GPU, " + status.cpuSlots() + " CPU; each VM " + status.slotCpus()
                    + " vCPU, " + status.slotMemoryMiB() + " MiB"},
            {"Runner pool", status.pool()},
            {"GitHub's queue", "read every " + status.queuePollSeconds() + " s for jobs an on-demand GPU could take"},
            {"Cache", status.cache() == null ? "none on this host (it needs QEMU, qemu-img and mke2fs)"
                    : status.cache() + " at /cache; kept after " + (status.cacheWriteEvents().isEmpty() ? "no run: read-only"
                    : String.join(", ", status.cacheWriteEvents()) + " runs of the repository itself; a fork's pull "
                    + "request only reads it")},
            {"Network", switch (status.egress() == null ? "open" : status.egress()) {
                case "allow-list" -> "only " + String.join(", ", status.egressAllow());
                case "audit" -> "the internet; logging what is not on " + (status.egressAllow().isEmpty() ? "the list"
                        : String.join(", ", status.egressAllow()));
                default -> "the internet (never this computer or the LAN)";
            }},
            {"Last GitHub contact", status.lastApiContact() == null ? "never" : org.rigdesk.app.status.Ages.ago(
                    java.time.Duration.between(status.lastApiContact(), java.time.Instant.now()))},
            {"GitHub API", status.rateLimitRemaining() == null ? "calls left: not known yet"
                    : String.format(java.util.Locale.ENGLISH, "%,d calls left this hour", status.rateLimitRemaining())}}) {
            Label key = new Label(fact[0]);
            key.getStyleClass().add("text-muted");
            key.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE); // a long value wraps; the name stays whole
            Label value = new Label(fact[1]);
            value.setWrapText(true);
            facts.addRow(row++, key, value);
        }
    }

    /** "2.330.0, published 3 days ago" and, unless it is current, what is wrong and the remedy. */
    static String runnerRelease(org.rigdesk.api.wire.RunnerRelease release) {
        if (release == null) {
            return "not known";
        }
        String version = release.version() == null ? "none yet" : release.version() + (release.publishedAt() == null
                ? "" : ", published " + org.rigdesk.app.status.Ages.ago(java.time.Duration.between(release.publishedAt(),
                java.time.Instant.now())));
        return org.rigdesk.api.wire.RunnerRelease.CURRENT.equals(release.state()) ? version + " (current)"
                : version + " — " + release.state() + ": " + release.detail();
    }

    /** Each slot with its state; the detail also as the row's tooltip. */
    private static TableView<RunnerStatus.Slot> slotsTable() {
        TableView<RunnerStatus.Slot> slots = new TableView<>();
        slots.setId("runner-slots");
        slots.setPlaceholder(new Label("No slots: register with at least one GPU or CPU slot."));
        slots.getColumns().add(column("Slot", RunnerStatus.Slot::key));
        slots.getColumns().add(column("GPU", s -> s.gpu() == null ? "–" : s.gpu()));
        TableColumn<RunnerStatus.Slot, RunnerStatus.Slot> state = new TableColumn<>("State");
        state.setCellValueFactory(cell -> new javafx.beans.property.ReadOnlyObjectWrapper<>(cell.getValue()));
        state.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(RunnerStatus.Slot slot, boolean empty) {
                super.updateItem(slot, empty);
                getStyleClass().removeIf(s -> s.startsWith("tone-"));
                if (empty || slot == null) {
                    setText(null);
                    return;
                }
                org.rigdesk.app.status.Look look = org.rigdesk.app.status.Vocabulary.slot(slot);
                setText(look.text());
                getStyleClass().add(look.tone().styleClass());
            }
        });
        state.setMinWidth(190);
        slots.getColumns().add(state);
        slots.getColumns().add(column("Runner", s -> s.runnerName() == null ? "–" : s.runnerName()));
        slots.getColumns().add(column("Job", s -> s.jobId() == null ? "–" : "#" + s.jobId()));
        slots.getColumns().add(column("Detail", s -> s.detail() == null ? "" : s.detail()));
        slots.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        slots.setRowFactory(table -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(RunnerStatus.Slot slot, boolean empty) {
                super.updateItem(slot, empty);
                setTooltip(empty || slot == null || slot.detail() == null ? null
                        : new javafx.scene.control.Tooltip(slot.detail()));
            }
        });
        return slots;
    }

    /** The queued GitHub jobs the pool sees, and what each waits for (an on-demand GPU on its way, a busy runner). */
    private static TableView<RunnerStatus.QueuedJob> queuedTable() {
        TableView<RunnerStatus.QueuedJob> queued = new TableView<>();
        queued.setId("runner-queued");
        queued.setPlaceholder(new Label("No job waits for a runner of ours."));
        queued.getColumns().add(column("Job", RunnerStatus.QueuedJob::name));
        queued.getColumns().add(column("Repository", RunnerStatus.QueuedJob::repository));
        queued.getColumns().add(column("Labels", q -> String.join(", ", q.labels())));
        queued.getColumns().add(column("GPU", q -> q.gpu() == null ? "–" : q.gpu()));
        queued.getColumns().add(column("Waiting for", RunnerStatus.QueuedJob::waitingFor));
        queued.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        return queued;
    }

    private static TableView<RunnerStatus.Runner> runnersTable() {
        TableView<RunnerStatus.Runner> runners = new TableView<>();
        runners.setId("runner-runners");
        runners.setPlaceholder(new Label("No runners of ours on GitHub."));
        runners.getColumns().add(column("Name", RunnerStatus.Runner::name));
        runners.getColumns().add(column("Status", RunnerStatus.Runner::status));
        runners.getColumns().add(column("Busy", r -> r.busy() ? "yes" : "no"));
        runners.getColumns().forEach(c -> c.setMinWidth(70));
        runners.getColumns().add(column("Labels", r -> String.join(", ", r.labels())));
        runners.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        return runners;
    }

    private static <T> TableColumn<T, String> column(String title, java.util.function.Function<T, String> value) {
        TableColumn<T, String> column = new TableColumn<>(title);
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        return column;
    }
}
