package org.rigdesk.api.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A weekly window of a lending schedule, in the host's local time: on each of {@code days}
 * ({@code mon} … {@code sun}) from {@code from} to {@code to} ({@code HH:MM}; a {@code to} at or
 * before {@code from} ends on the next day, so Mon 19:00–08:00 ends Tuesday morning) the card is
 * {@code policy}, {@code ci} or {@code on-demand}.
 */
public record LendingWindow(List<String> days, String from, String to, String policy) {

    public static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    public LendingWindow {
        days = days == null ? List.of() : List.copyOf(days);
    }

    /**
     * The short form the CLI and the window take: {@code DAYS FROM-TO [POLICY]}, days as a comma
     * list of days and ranges ({@code mon-fri}, {@code sat,sun}, {@code mon,wed-fri}), the policy ci
     * when left out: {@code "mon-fri 19:00-08:00 ci"}. The daemon checks the values; this checks
     * the shape and the day names.
     */
    public static LendingWindow parse(String text) {
        String[] parts = text == null ? new String[0] : text.strip().split("\\s+");
        if (parts.length < 2 || parts.length > 3 || !parts[1].contains("-")) {
            throw new IllegalArgumentException("a window is DAYS FROM-TO [ci|on-demand], e.g. 'mon-fri 19:00-08:00 ci', got '"
                    + text + "'");
        }
        List<String> days = new ArrayList<>();
        for (String item : parts[0].toLowerCase(Locale.ROOT).split(",")) {
            String[] range = item.split("-", 2);
            int first = DAYS.indexOf(range[0]);
            int last = range.length == 2 ? DAYS.indexOf(range[1]) : first;
            if (first < 0 || last < 0) {
                throw new IllegalArgumentException("'" + item + "' is not a day or a range of days (mon, tue, wed, thu, fri, "
                        + "sat, sun; e.g. mon-fri)");
            }
            for (int day = first; ; day = (day + 1) % 7) {
                if (!days.contains(DAYS.get(day))) {
                    days.add(DAYS.get(day));
                }
                if (day == last) {
                    break;
                }
            }
        }
        String[] times = parts[1].split("-", 2);
        return new LendingWindow(days, times[0], times[1], parts.length == 3 ? parts[2] : GpuLending.CI);
    }

    /** This window in the short form {@link #parse} reads, days joined into ranges where they run on. */
    public String text() {
        List<Integer> indexes = days.stream().map(DAYS::indexOf).filter(i -> i >= 0).sorted().toList();
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < indexes.size(); ) {
            int j = i;
            while (j + 1 < indexes.size() && indexes.get(j + 1) == indexes.get(j) + 1) {
                j++;
            }
            groups.add(j - i >= 2 ? DAYS.get(indexes.get(i)) + "-" + DAYS.get(indexes.get(j))
                    : String.join(",", indexes.subList(i, j + 1).stream().map(DAYS::get).toList()));
            i = j + 1;
        }
        return String.join(",", groups) + " " + from + "-" + to + " " + policy;
    }
}
