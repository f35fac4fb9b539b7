package org.rigdesk.app.gpus;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.client.DaemonException;
import org.rigdesk.api.wire.Gpu;

/** One GPU card: its latest state, a mode change in flight, and the daemon's last refusal. */
public class GpuCardViewModel {

    private final DaemonClient client;
    private final Executor background;
    private final Executor ui;
    private final ObjectProperty<Gpu> gpu = new SimpleObjectProperty<>();
    private final BooleanProperty working = new SimpleBooleanProperty();
    private final StringProperty problem = new SimpleStringProperty("");
    private final StringProperty remedy = new SimpleStringProperty("");

    public GpuCardViewModel(Gpu initial, DaemonClient client, Executor background, Executor ui) {
        this.client = client;
        this.background = background;
        this.ui = ui;
        gpu.set(initial);
    }

    public String bdf() {
        return gpu.get().bdf();
    }

    void update(Gpu latest) {
        gpu.set(latest);
    }

    /** Badge text: Host, VFIO, In job #id, Changing or Unbound. */
    public static String badge(Gpu gpu) {
        if (gpu.usedBy() != null) {
            return "In job #" + gpu.usedBy();
        }
        return switch (gpu.mode()) {
            case Gpu.VFIO -> "VFIO";
            case Gpu.CHANGING -> "Changing";
            case Gpu.UNBOUND -> "Unbound";
            default -> "Host";
        };
    }

    /** What a move takes along: the GPU and every non-bridge function of its IOMMU group. */
    public static List<String> functionsThatMove(Gpu gpu) {
        List<String> functions = new java.util.ArrayList<>();
        functions.add(gpu.bdf() + "  " + gpu.name() + " (gpu" + (gpu.driver() == null ? "" : ", " + gpu.driver()) + ")");
        for (Gpu.GroupDevice peer : gpu.groupDevices()) {
            if (!"bridge".equals(peer.role())) {
                functions.add(peer.bdf() + "  " + peer.name() + " (" + peer.role()
                        + (peer.driver() == null ? "" : ", " + peer.driver()) + ")");
            }
        }
        return functions;
    }

    /** Asks the daemon for {@code mode}; the card shows progress, then the new state or the refusal. */
    public void requestMode(String mode) {
        working.set(true);
        problem.set("");
        remedy.set("");
        String bdf = bdf();
        background.execute(() -> {
            try {
                Gpu now = client.send("PUT", "/v1/gpus/" + bdf + "/mode", Map.of("mode", mode), Gpu.class);
                ui.execute(() -> {
                    gpu.set(now);
                    working.set(false);
                });
            } catch (DaemonException e) {
                ui.execute(() -> {
                    problem.set(e.getMessage());
                    remedy.set(e.problem().remedy() == null ? "" : e.problem().remedy());
                    working.set(false);
                });
            } catch (IOException e) {
                ui.execute(() -> {
                    problem.set("Could not reach the daemon: " + e.getMessage());
                    working.set(false);
                });
            }
        });
    }

    public void dismissProblem() {
        problem.set("");
        remedy.set("");
    }

    public ReadOnlyObjectProperty<Gpu> gpuProperty() {
        return gpu;
    }

    public ReadOnlyBooleanProperty workingProperty() {
        return working;
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem;
    }

    public ReadOnlyStringProperty remedyProperty() {
        return remedy;
    }
}
