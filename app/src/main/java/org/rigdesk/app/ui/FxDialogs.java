package org.rigdesk.app.ui;

import java.util.Optional;
import java.util.function.Supplier;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

/** {@link Dialogs} as JavaFX alerts over the window. */
public final class FxDialogs implements Dialogs {

    private final Supplier<Window> owner;

    /** {@code owner}: the window the dialogs belong to, once there is one (null before). */
    public FxDialogs(Supplier<Window> owner) {
        this.owner = owner;
    }

    @Override
    public boolean confirm(Confirmation confirmation) {
        ButtonType go = new ButtonType(confirmation.go(), ButtonBar.ButtonData.OK_DONE);
        ButtonType stay = new ButtonType(confirmation.stay(), ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, confirmation.consequences(), stay, go);
        alert.setTitle("Rigdesk");
        alert.setHeaderText(confirmation.question());
        alert.getDialogPane().setId(confirmation.id());
        Window window = owner.get();
        if (window != null) {
            alert.initOwner(window);
        }
        // The safe answer has the focus: Enter alone never cancels a job or moves a card.
        ((javafx.scene.control.Button) alert.getDialogPane().lookupButton(go)).setDefaultButton(false);
        ((javafx.scene.control.Button) alert.getDialogPane().lookupButton(stay)).setDefaultButton(true);
        return alert.showAndWait().filter(go::equals).isPresent();
    }

    @Override
    public Optional<JobForm> askForJob() {
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.setTitle("Run a job");
        dialog.setHeaderText("Run a script in a fresh VM");
        Window window = owner.get();
        if (window != null) {
            dialog.initOwner(window);
        }
        dialog.getDialogPane().setId("run-dialog");
        TextArea script = new TextArea("nvidia-smi || uname -a");
        script.setId("run-script");
        script.setPrefRowCount(5);
        script.getStyleClass().add("mono");
        Spinner<Integer> gpus = new Spinner<>(0, 16, 0);
        gpus.setId("run-gpus");
        Spinner<Integer> cpus = new Spinner<>(1, 64, 2);
        cpus.setId("run-cpus");
        Spinner<Integer> memory = new Spinner<>(128, 1 << 20, 1024, 256);
        memory.setId("run-memory");
        memory.setEditable(true);
        GridPane form = new GridPane();
        form.setHgap(10);
        form.setVgap(8);
        form.addRow(0, new Label("Script"), script);
        form.addRow(1, new Label("GPUs"), gpus);
        form.addRow(2, new Label("CPUs"), cpus);
        form.addRow(3, new Label("Memory (MiB)"), memory);
        dialog.getDialogPane().setContent(form);
        ButtonType run = new ButtonType("Run job", ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().addAll(ButtonType.CANCEL, run);
        dialog.getDialogPane().lookupButton(run).disableProperty().bind(script.textProperty().isEmpty());
        return dialog.showAndWait().filter(run::equals)
                .map(ok -> new JobForm(script.getText(), gpus.getValue(), cpus.getValue(), memory.getValue()));
    }

    @Override
    public Optional<ScheduleForm> askForSchedule(String gpu, ScheduleForm current) {
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.setTitle("Lend on a schedule");
        dialog.setHeaderText("When may CI have " + gpu + "?");
        Window window = owner.get();
        if (window != null) {
            dialog.initOwner(window);
        }
        dialog.getDialogPane().setId("schedule-dialog");
        TextArea windows = new TextArea(String.join("\n", current.windows()));
        windows.setId("schedule-windows");
        windows.setPrefRowCount(4);
        windows.getStyleClass().add("mono");
        Label hint = new Label("One window a line, in this computer's local time: DAYS FROM-TO and ci or on-demand,\n"
                + "e.g. mon-fri 19:00-08:00 ci, or sat,sun 00:00-00:00 on-demand. Outside them the GPU is yours.");
        hint.getStyleClass().addAll("text-muted", "small");
        hint.setWrapText(true);
        Spinner<Integer> idle = new Spinner<>(30, 86_400, current.idleSeconds(), 30);
        idle.setId("schedule-idle");
        idle.setEditable(true);
        GridPane form = new GridPane();
        form.setHgap(10);
        form.setVgap(8);
        form.addRow(0, new Label("Windows"), windows);
        form.add(hint, 1, 1);
        form.addRow(2, new Label("On demand: back after (s)"), idle);
        dialog.getDialogPane().setContent(form);
        ButtonType save = new ButtonType("Lend on this schedule", javafx.scene.control.ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().addAll(ButtonType.CANCEL, save);
        dialog.getDialogPane().lookupButton(save).disableProperty().bind(windows.textProperty().isEmpty());
        return dialog.showAndWait().filter(save::equals).map(ok -> new ScheduleForm(windows.getText().lines()
                .map(String::strip).filter(line -> !line.isEmpty()).toList(), idle.getValue()));
    }
}
