package org.rigdesk.api.wire;

import java.util.List;

/**
 * A weekly window of a lending schedule, in the host's local time: on each of {@code days}
 * ({@code mon} … {@code sun}) from {@code from} to {@code to} ({@code HH:MM}; a {@code to} at or
 * before {@code from} ends on the next day, so Mon 19:00–08:00 ends Tuesday morning) the card is
 * {@code policy}, {@code ci} or {@code on-demand}.
 */
public record LendingWindow(List<String> days, String from, String to, String policy) {

    public LendingWindow {
        days = days == null ? List.of() : List.copyOf(days);
    }
}
