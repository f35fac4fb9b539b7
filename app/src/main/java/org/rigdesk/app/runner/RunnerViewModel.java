package org.rigdesk.app.runner;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.rigdesk.api.client.DaemonException;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.wire.RunnerRegistration;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.app.ui.Dialogs;

/** The Runner page: the registration wizard (checked here before the daemon is asked) and the status. */
public class RunnerViewModel {

    private static final Pattern SCOPE = Pattern.compile("^https://[A-Za-z0-9.-]+(:\\d+)?/[A-Za-z0-9][A-Za-z0-9-]*(/[A-Za-z0-9._-]+)?/?$");
    private static final Pattern LABEL = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");

    private final RigdeskApi client;
    private final Dialogs dialogs;
    static final String REMOVE_CONSEQUENCES = "Our idle runners are deleted from GitHub and the token is forgotten. "
            + "Busy runners finish their job first.";
    private final Executor background;
    private final Executor ui;
    private final ObjectProperty<RunnerStatus> status = new SimpleObjectProperty<>(RunnerStatus.unregistered());
    private final StringProperty url = new SimpleStringProperty("");
    private final StringProperty token = new SimpleStringProperty("");
    /** Sign in as a GitHub App instead of a token: its id and the path of its private key (.pem). */
    private final StringProperty appId = new SimpleStringProperty("");
    private final StringProperty appKeyFile = new SimpleStringProperty("");
    private final StringProperty apiUrl = new SimpleStringProperty("");
    private final ObservableList<String> labels = FXCollections.observableArrayList();
    private final IntegerProperty gpuSlots = new SimpleIntegerProperty(1);
    private final IntegerProperty cpuSlots = new SimpleIntegerProperty(1);
    /** What runner VMs may reach: open, allow-list or audit; the list one entry per line. */
    private final javafx.beans.property.StringProperty egress = new javafx.beans.property.SimpleStringProperty("open");
    private final javafx.beans.property.StringProperty egressAllow = new javafx.beans.property.SimpleStringProperty("");
    private final StringProperty problem = new SimpleStringProperty("");
    private final StringProperty remedy = new SimpleStringProperty("");

    public RunnerViewModel(RigdeskApi client, Executor background, Executor ui, Dialogs dialogs) {
        this.client = client;
        this.dialogs = dialogs;
        this.background = background;
        this.ui = ui;
    }

    public void reload() {
        background.execute(() -> {
            try {
                RunnerStatus latest = client.runner();
                ui.execute(() -> status.set(latest));
            } catch (IOException e) {
                ui.execute(() -> problem.set("Cannot read the runner registration: " + e.getMessage()));
            }
        });
    }

    /** Adds a label chip; false (and a reason) when it is not a valid GitHub label. */
    public boolean addLabel(String text) {
        String label = text == null ? "" : text.strip();
        if (!LABEL.matcher(label).matches()) {
            problem.set("A label is 1 to 64 letters, digits, dots, dashes or underscores.");
            return false;
        }
        if (!labels.contains(label)) {
            labels.add(label);
        }
        problem.set("");
        return true;
    }

    /** What is wrong with the form, or an empty list: nothing is sent while this has entries. */
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        if (!SCOPE.matcher(url.get().strip()).matches()) {
            problems.add("The URL must be https://github.com/ORG or https://github.com/OWNER/REPO.");
        }
        if (!apiUrl.get().isBlank() && !apiUrl.get().strip().matches("^https?://[A-Za-z0-9.-]+(:\\d+)?(/\\S*)?$")) {
            problems.add("The API URL must be an http(s) URL, like https://github.example.com/api/v3.");
        }
        if (!"open".equals(egress.get()) && allowList().isEmpty()) {
            problems.add("An allow-list (or an audit of one) needs at least one host name, *.wildcard or IPv4 block.");
        }
        boolean app = !appId.get().isBlank() || !appKeyFile.get().isBlank();
        if (app) {
            if (!token.get().isBlank()) {
                problems.add("Give a token or a GitHub App, not both.");
            } else if (appId.get().isBlank() || appKeyFile.get().isBlank()) {
                problems.add("A GitHub App needs its id and its private key file (.pem).");
            } else if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(appKeyFile.get().strip()))) {
                problems.add("Cannot read the App's key file " + appKeyFile.get().strip() + ".");
            }
        } else if (token.get().isBlank()) {
            problems.add("A token is required (or a GitHub App's id and key file).");
        } else if (token.get().strip().chars().anyMatch(c -> c <= 32 || c >= 127)) {
            problems.add("The token has spaces or unusual characters: paste it again.");
        }
        return problems;
    }

    /** Registers when the form is valid; the daemon then checks the token with GitHub. */
    public boolean register() {
        List<String> problems = validate();
        if (!problems.isEmpty()) {
            problem.set(String.join(" ", problems));
            remedy.set("");
            return false;
        }
        org.rigdesk.api.wire.GitHubApp app = null;
        if (!appId.get().isBlank()) {
            try {
                app = new org.rigdesk.api.wire.GitHubApp(appId.get().strip(),
                        java.nio.file.Files.readString(java.nio.file.Path.of(appKeyFile.get().strip())), null);
            } catch (IOException e) {
                problem.set("Cannot read the App's key file: " + e.getMessage());
                return false;
            }
        }
        RunnerRegistration request = new RunnerRegistration(url.get().strip(), app != null ? null : token.get().strip(),
                List.copyOf(labels), null, null, apiUrl.get().isBlank() ? null : apiUrl.get().strip(), gpuSlots.get(),
                cpuSlots.get(), null, null, egress.get(), "open".equals(egress.get()) ? null : allowList(), null, null,
                app, null, null, null, null);
        problem.set("");
        background.execute(() -> {
            try {
                RunnerStatus registered = client.registerRunner(request);
                ui.execute(() -> {
                    token.set(""); // the window keeps no copy
                    status.set(registered);
                });
            } catch (DaemonException e) {
                ui.execute(() -> {
                    problem.set(e.getMessage());
                    remedy.set(e.problem().remedy() == null ? "" : e.problem().remedy());
                });
            } catch (IOException e) {
                ui.execute(() -> problem.set("Cannot reach the daemon: " + e.getMessage()));
            }
        });
        return true;
    }

    /** Pause (drain) or resume the runner slots. */
    public void setPaused(boolean paused) {
        background.execute(() -> {
            try {
                RunnerStatus now = client.setRunnerPaused(paused);
                ui.execute(() -> status.set(now));
            } catch (IOException e) {
                ui.execute(() -> problem.set("Cannot " + (paused ? "pause" : "resume") + " the runner: "
                        + e.getMessage()));
            }
        });
    }

    /** Removes the registration once the person agrees. */
    public void removeRegistration() {
        if (dialogs.confirm(new Dialogs.Confirmation("confirm-remove", "Remove the runner registration?",
                REMOVE_CONSEQUENCES, "Remove", "Keep it"))) {
            remove();
        }
    }

    public void remove() {
        background.execute(() -> {
            try {
                RunnerStatus removed = client.removeRunner();
                ui.execute(() -> status.set(removed));
            } catch (IOException e) {
                ui.execute(() -> problem.set("Cannot remove the registration: " + e.getMessage()));
            }
        });
    }

    public ObjectProperty<RunnerStatus> statusProperty() {
        return status;
    }

    public StringProperty urlProperty() {
        return url;
    }

    public StringProperty apiUrlProperty() {
        return apiUrl;
    }

    public StringProperty appIdProperty() {
        return appId;
    }

    public StringProperty appKeyFileProperty() {
        return appKeyFile;
    }

    public StringProperty tokenProperty() {
        return token;
    }

    public ObservableList<String> labels() {
        return labels;
    }

    public IntegerProperty gpuSlotsProperty() {
        return gpuSlots;
    }

    private List<String> allowList() {
        return egressAllow.get().lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    public javafx.beans.property.StringProperty egressProperty() {
        return egress;
    }

    public javafx.beans.property.StringProperty egressAllowProperty() {
        return egressAllow;
    }

    public IntegerProperty cpuSlotsProperty() {
        return cpuSlots;
    }

    public StringProperty problemProperty() {
        return problem;
    }

    public StringProperty remedyProperty() {
        return remedy;
    }
}
