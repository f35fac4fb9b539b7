package org.rigdesk.app.shell;

import java.util.function.Supplier;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
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
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, confirmation.consequences(), ButtonType.CANCEL,
                ButtonType.OK);
        alert.setTitle("Rigdesk");
        alert.setHeaderText(confirmation.question());
        alert.getDialogPane().setId(confirmation.id());
        Window window = owner.get();
        if (window != null) {
            alert.initOwner(window);
        }
        return alert.showAndWait().filter(ButtonType.OK::equals).isPresent();
    }
}
