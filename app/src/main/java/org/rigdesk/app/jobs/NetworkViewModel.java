package org.rigdesk.app.jobs;

import org.rigdesk.app.format.ByteSize;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.rigdesk.api.client.RigdeskApi;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobNetwork;

/**
 * The selected job's network: where its VM went (bytes), what it was refused, the names it asked
 * for — one table of rows, read from {@code GET /v1/jobs/{id}/network} when a job is selected or
 * changes. Everything shown comes from the daemon as text; nothing is markup.
 */
public class NetworkViewModel {

    /** One line of the egress log as the table shows it. */
    public record Row(String kind, String destination, String port, String protocol, String name, String count,
                      String bytes) {
    }

    private final RigdeskApi client;
    private final Executor background;
    private final Executor ui;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final StringProperty summary = new SimpleStringProperty("");
    private volatile long shownId = -1;

    public NetworkViewModel(RigdeskApi client, Executor background, Executor ui) {
        this.client = client;
        this.background = background;
        this.ui = ui;
    }

    public ObservableList<Row> rows() {
        return rows;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary;
    }

    /** Loads {@code job}'s log (null: nothing selected). */
    public void show(Job job) {
        if (job == null) {
            shownId = -1;
            rows.clear();
            summary.set("");
            return;
        }
        long id = job.id();
        shownId = id;
        background.execute(() -> {
            try {
                JobNetwork network = client.jobNetwork(id);
                ui.execute(() -> {
                    if (shownId == id) {
                        rows.setAll(rows(network));
                        summary.set(summary(network));
                    }
                });
            } catch (IOException e) {
                ui.execute(() -> summary.set("Cannot read the job's network: " + e.getMessage()));
            }
        });
    }

    static String summary(JobNetwork network) {
        if (!network.enabled()) {
            return "No network: this job's VM had no network card.";
        }
        long bytes = network.flows().stream().mapToLong(JobNetwork.Flow::bytes).sum();
        long refused = network.refused().stream().mapToLong(JobNetwork.Refusal::attempts).sum();
        String policy = switch (network.egress() == null ? "open" : network.egress()) {
            case "allow-list" -> "allow-list · ";
            case "audit" -> "audit: " + count(network.unlisted().size(), "destination") + " the allow-list would refuse · ";
            default -> "";
        };
        return network.address() + " via " + network.gateway() + " · " + policy
                + count(network.flows().size(), "destination") + ", " + ByteSize.human(bytes) + " · "
                + count(refused, "refused attempt") + " · " + count(network.dns().size(), "DNS lookup");
    }

    /** "1 destination", "2 destinations". */
    private static String count(long n, String thing) {
        return n + " " + thing + (n == 1 ? "" : "s");
    }

    static List<Row> rows(JobNetwork network) {
        List<Row> rows = new ArrayList<>();
        network.flows().forEach(f -> rows.add(new Row("reached", f.address(), Integer.toString(f.port()), f.protocol(),
                orDash(f.name()), f.packets() + " packets", ByteSize.human(f.bytes()))));
        // Which rule refused it: the host, a private range, the LAN, the allow-list, a spoofed source.
        network.refused().forEach(r -> rows.add(new Row(r.rule() == null ? "refused" : "refused: " + r.rule(),
                r.address(), Integer.toString(r.port()), r.protocol(),
                orDash(r.name()), count(r.attempts(), "attempt"), "")));
        // Under audit: let through, but what the registration's allow-list would have refused.
        network.unlisted().forEach(r -> rows.add(new Row("unlisted", r.address(), Integer.toString(r.port()),
                r.protocol(), orDash(r.name()), count(r.attempts(), "attempt"), "")));
        network.dns().forEach(l -> rows.add(new Row("DNS " + l.type(), l.name(), "", "", l.error() != null ? l.error()
                : l.answers().isEmpty() ? "(no address)" : String.join(" ", l.answers()), "", "")));
        return rows;
    }

    private static String orDash(String text) {
        return text == null ? "–" : text;
    }
}
