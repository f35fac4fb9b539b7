package org.rigdesk.daemon.lending;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.rigdesk.api.wire.GpuLending;
import org.rigdesk.api.wire.LendingWindow;

/**
 * Weekly windows in the host's local time during which a card is lent ({@code ci} or
 * {@code on-demand}); outside them it is the owner's ({@code desk}). A window starts on each of its
 * days at {@code from} and ends at {@code to}, on the next day when {@code to} is not after
 * {@code from} (Fri 19:00–08:00 ends Saturday morning; 00:00–00:00 is the whole day). Where two
 * windows overlap, ci wins over on-demand. Times are read as wall-clock times of the zone: a
 * window starting in a skipped hour (DST) starts when the clock resumes.
 */
public final class LendingSchedule {

    public static final int MAX_WINDOWS = 28;
    private static final Pattern TIME = Pattern.compile("^([01]\\d|2[0-3]):[0-5]\\d$");
    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    record Window(Set<DayOfWeek> days, LocalTime from, LocalTime to, String policy) {

        /** When this window, started on {@code date}, ends. */
        ZonedDateTime end(LocalDate date, ZoneId zone) {
            LocalDate endDate = to.isAfter(from) ? date : date.plusDays(1);
            return wallClock(endDate.atTime(to), zone);
        }

        ZonedDateTime start(LocalDate date, ZoneId zone) {
            return wallClock(date.atTime(from), zone);
        }
    }

    /** A local time in the zone; one in a skipped hour (DST) is the moment the clock resumes. */
    static ZonedDateTime wallClock(java.time.LocalDateTime local, ZoneId zone) {
        java.time.zone.ZoneOffsetTransition gap = zone.getRules().getTransition(local);
        if (gap != null && gap.isGap()) {
            return gap.getInstant().atZone(zone);
        }
        return local.atZone(zone);
    }

    public record Change(Instant at, String policy) {
    }

    private final List<Window> windows;
    private final List<LendingWindow> wire;

    private LendingSchedule(List<Window> windows, List<LendingWindow> wire) {
        this.windows = windows;
        this.wire = wire;
    }

    /** Checks every field; a bad one is an IllegalArgumentException naming it. */
    public static LendingSchedule parse(List<LendingWindow> given) {
        if (given == null || given.isEmpty()) {
            throw new IllegalArgumentException("a schedule needs at least one window, e.g. "
                    + "{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"],\"from\":\"19:00\",\"to\":\"08:00\",\"policy\":\"ci\"}");
        }
        if (given.size() > MAX_WINDOWS) {
            throw new IllegalArgumentException("at most " + MAX_WINDOWS + " windows");
        }
        List<Window> windows = new ArrayList<>();
        List<LendingWindow> wire = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            LendingWindow w = given.get(i);
            String where = "schedule[" + i + "]";
            if (w == null) {
                throw new IllegalArgumentException(where + " is empty");
            }
            if (w.days().isEmpty()) {
                throw new IllegalArgumentException(where + ".days is empty: name days as mon, tue, wed, thu, fri, sat, sun");
            }
            Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
            for (String day : w.days()) {
                int index = day == null ? -1 : DAYS.indexOf(day.toLowerCase(Locale.ROOT));
                if (index < 0) {
                    throw new IllegalArgumentException(where + ".days: '" + printable(day)
                            + "' is not a day (mon, tue, wed, thu, fri, sat, sun)");
                }
                days.add(DayOfWeek.of(index + 1));
            }
            LocalTime from = time(where + ".from", w.from());
            LocalTime to = time(where + ".to", w.to());
            String policy = w.policy() == null ? GpuLending.CI : w.policy();
            if (!policy.equals(GpuLending.CI) && !policy.equals(GpuLending.ON_DEMAND)) {
                throw new IllegalArgumentException(where + ".policy must be ci or on-demand (outside the windows the "
                        + "card is on the desk), got '" + printable(policy) + "'");
            }
            windows.add(new Window(days, from, to, policy));
            wire.add(new LendingWindow(days.stream().map(d -> DAYS.get(d.getValue() - 1)).toList(), w.from(), w.to(),
                    policy));
        }
        return new LendingSchedule(List.copyOf(windows), List.copyOf(wire));
    }

    private static LocalTime time(String field, String text) {
        if (text == null || !TIME.matcher(text).matches()) {
            throw new IllegalArgumentException(field + " must be a time HH:MM (00:00 to 23:59), got '"
                    + printable(text) + "'");
        }
        try {
            return LocalTime.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not a time: " + text);
        }
    }

    private static String printable(String text) {
        return text == null ? "" : text.replaceAll("\\p{Cntrl}", "?");
    }

    public List<LendingWindow> wire() {
        return wire;
    }

    /** ci, on-demand or desk at {@code at}. */
    public String effectiveAt(ZonedDateTime at) {
        String found = GpuLending.DESK;
        for (Window w : windows) {
            // A window containing `at` started today or, overnight, yesterday.
            for (int back = 0; back <= 1; back++) {
                LocalDate date = at.toLocalDate().minusDays(back);
                if (!w.days().contains(date.getDayOfWeek())) {
                    continue;
                }
                ZonedDateTime start = w.start(date, at.getZone());
                if (!at.isBefore(start) && at.isBefore(w.end(date, at.getZone()))) {
                    if (w.policy().equals(GpuLending.CI)) {
                        return GpuLending.CI;
                    }
                    found = w.policy();
                }
            }
        }
        return found;
    }

    /** The next moment the effective policy changes, within the coming eight days. */
    public Optional<Change> nextChange(ZonedDateTime after) {
        TreeSet<ZonedDateTime> edges = new TreeSet<>();
        ZoneId zone = after.getZone();
        for (Window w : windows) {
            for (int day = -1; day <= 8; day++) {
                LocalDate date = after.toLocalDate().plusDays(day);
                if (w.days().contains(date.getDayOfWeek())) {
                    edges.add(w.start(date, zone));
                    edges.add(w.end(date, zone));
                }
            }
        }
        String now = effectiveAt(after);
        for (ZonedDateTime edge : edges.tailSet(after, false)) {
            String then = effectiveAt(edge);
            if (!then.equals(now)) {
                return Optional.of(new Change(edge.toInstant(), then));
            }
        }
        return Optional.empty();
    }
}
