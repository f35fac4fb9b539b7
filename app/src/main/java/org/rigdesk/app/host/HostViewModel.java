package org.rigdesk.app.host;

import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.rigdesk.api.wire.HostCheck;
import org.rigdesk.api.wire.Info;

/** The Host page's state, derived from the daemon's {@code /v1/info}. No nodes here. */
public class HostViewModel {

    /**
     * A check as the page shows it: a mark, the text, how much it matters (required, recommended,
     * optional), and the remedy and its command to copy when it failed.
     */
    public record CheckRow(String id, Mark mark, String title, String detail, String remedy, String level,
                           String command) {
    }

    public enum Mark { OK, FAILED, MISSING }

    private final ObservableList<CheckRow> checks = FXCollections.observableArrayList();
    private final SimpleStringProperty daemon = new SimpleStringProperty("Not connected");
    private final SimpleStringProperty paths = new SimpleStringProperty("");
    private final SimpleStringProperty summary = new SimpleStringProperty("");
    private final SimpleBooleanProperty simulated = new SimpleBooleanProperty();
    private final javafx.beans.property.SimpleObjectProperty<org.rigdesk.app.status.Tone> verdict =
            new javafx.beans.property.SimpleObjectProperty<>(org.rigdesk.app.status.Tone.QUIET);

    public void update(Info info) {
        if (info == null) {
            return;
        }
        daemon.set("rigdeskd " + info.version() + " · pid " + info.pid() + " · uid " + info.uid()
                + " · up since " + info.startedAt().toString().replaceFirst("\\.\\d+Z$", "Z"));
        paths.set("socket " + info.socket() + "\nstate " + info.stateDir() + "\nsysfs " + info.sysfsRoot());
        simulated.set(info.simulated());
        List<CheckRow> rows = info.checks().stream().map(HostViewModel::row).toList();
        checks.setAll(rows);
        long blocking = info.checks().stream().filter(c -> c.required() && !c.ok()).count();
        long advised = info.checks().stream().filter(c -> !c.ok() && !c.required()
                && HostCheck.REQUIRED.equals(c.level())).count();
        long recommended = info.checks().stream().filter(c -> !c.ok() && HostCheck.RECOMMENDED.equals(c.level())).count();
        verdict.set(blocking > 0 ? org.rigdesk.app.status.Tone.BAD : advised + recommended > 0
                ? org.rigdesk.app.status.Tone.WARN : org.rigdesk.app.status.Tone.GOOD);
        summary.set(blocking > 0 ? blocking + (blocking == 1 ? " required check fails" : " required checks fail")
                + ": GPU passthrough is not possible until fixed."
                : advised > 0 ? "GPU passthrough works here, but jobs cannot run until the required items below are done."
                : recommended > 0 ? "This host is ready for GPU passthrough; " + recommended
                + (recommended == 1 ? " recommendation" : " recommendations") + " below would make it better."
                : "This host is ready for GPU passthrough.");
    }

    static CheckRow row(HostCheck check) {
        Mark mark = check.ok() ? Mark.OK : check.required() ? Mark.FAILED : Mark.MISSING;
        return new CheckRow(check.id(), mark, check.title(), check.detail(), check.ok() ? null : check.remedy(),
                check.level(), check.ok() ? null : check.command());
    }

    public ObservableList<CheckRow> checks() {
        return checks;
    }

    public ReadOnlyStringProperty daemonProperty() {
        return daemon;
    }

    public ReadOnlyStringProperty pathsProperty() {
        return paths;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary;
    }

    /** The banner's tone: good (ready), warn (works, with things to do), bad (passthrough impossible). */
    public javafx.beans.property.ReadOnlyObjectProperty<org.rigdesk.app.status.Tone> verdictProperty() {
        return verdict;
    }

    public ReadOnlyBooleanProperty simulatedProperty() {
        return simulated;
    }
}
