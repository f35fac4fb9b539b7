package org.rigdesk.app.cli;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.stream.Collectors;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuLending;
import org.rigdesk.api.wire.LendingWindow;

/** A GPU's lending in the CLI's words: a short column, and the lines {@code gpu lend} and {@code gpu reclaim} print. */
final class LendingText {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ENGLISH);

    private LendingText() {
    }

    /** "on-demand · standby", for the gpus table. */
    static String column(Gpu gpu) {
        GpuLending lending = gpu.lending();
        if (lending == null) {
            return null;
        }
        String policy = GpuLending.SCHEDULE.equals(lending.policy()) ? "schedule (" + lending.effective() + ")"
                : lending.policy();
        return policy + " · " + lending.state();
    }

    static String describe(Gpu gpu) {
        GpuLending lending = gpu.lending();
        StringBuilder text = new StringBuilder(gpu.bdf() + " (" + gpu.name() + ") is in " + gpu.mode() + " mode");
        if (lending == null) {
            return text.append('\n').toString();
        }
        text.append("\n  lending: ").append(lending.policy());
        if (GpuLending.ON_DEMAND.equals(lending.policy()) || GpuLending.SCHEDULE.equals(lending.policy())) {
            text.append(" (back on the desk after ").append(lending.idleSeconds()).append(" s without a job)");
        }
        text.append("\n  now: ").append(lending.detail());
        if (!lending.schedule().isEmpty()) {
            text.append("\n  windows: ").append(lending.schedule().stream().map(LendingWindow::text)
                    .collect(Collectors.joining("; "))).append(" (local time; desk outside them)");
        }
        if (lending.nextChange() != null) {
            text.append("\n  next: ").append(lending.nextPolicy()).append(" from ")
                    .append(WHEN.format(lending.nextChange().atZone(ZoneId.systemDefault())));
        }
        return text.append('\n').toString();
    }
}
