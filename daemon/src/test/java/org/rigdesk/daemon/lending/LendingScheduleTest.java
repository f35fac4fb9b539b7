package org.rigdesk.daemon.lending;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.LendingWindow;

/** The weekly windows on a fixed clock: edges, overnight windows, weekends, overlaps, DST and bad input. */
class LendingScheduleTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** Mon–Fri 19:00–08:00 lent to CI, the weekend on demand. */
    private static final LendingSchedule EVENINGS = LendingSchedule.parse(List.of(
            new LendingWindow(List.of("mon", "tue", "wed", "thu", "fri"), "19:00", "08:00", "ci"),
            new LendingWindow(List.of("sat", "sun"), "00:00", "00:00", "on-demand")));

    private static ZonedDateTime at(String local) {
        return LocalDateTime.parse(local).atZone(BERLIN);
    }

    @Test
    void aWindowStartsAtItsFirstMinuteAndEndsBeforeItsLast() {
        // 2026-12-07 is a Monday.
        assertEquals("desk", EVENINGS.effectiveAt(at("2026-12-07T18:59:59")));
        assertEquals("ci", EVENINGS.effectiveAt(at("2026-12-07T19:00:00")));
        assertEquals("ci", EVENINGS.effectiveAt(at("2026-12-08T07:59:59")), "the overnight window runs into Tuesday");
        assertEquals("desk", EVENINGS.effectiveAt(at("2026-12-08T08:00:00")));
    }

    @Test
    void mondayMorningBelongsToNoWindowBecauseSundayIsOnDemandUntilMidnight() {
        assertEquals("on-demand", EVENINGS.effectiveAt(at("2026-12-06T23:59:00")));
        assertEquals("desk", EVENINGS.effectiveAt(at("2026-12-07T00:00:00")), "Monday 00:00–19:00 is the owner's");
        assertEquals("ci", EVENINGS.effectiveAt(at("2026-12-05T07:00:00")), "Friday's night runs into Saturday, and ci wins");
        assertEquals("on-demand", EVENINGS.effectiveAt(at("2026-12-05T08:00:00")));
    }

    @Test
    void theNextChangeIsTheFirstEdgeThatChangesSomething() {
        LendingSchedule.Change next = EVENINGS.nextChange(at("2026-12-07T12:00:00")).orElseThrow();
        assertEquals(at("2026-12-07T19:00:00").toInstant(), next.at());
        assertEquals("ci", next.policy());
        // Friday night's end at Sat 08:00 changes ci to on-demand; Saturday 00:00 changes nothing.
        LendingSchedule.Change weekend = EVENINGS.nextChange(at("2026-12-04T20:00:00")).orElseThrow();
        assertEquals(at("2026-12-05T08:00:00").toInstant(), weekend.at());
        assertEquals("on-demand", weekend.policy());
        LendingSchedule.Change monday = EVENINGS.nextChange(at("2026-12-06T10:00:00")).orElseThrow();
        assertEquals(at("2026-12-07T00:00:00").toInstant(), monday.at());
        assertEquals("desk", monday.policy());
    }

    @Test
    void daylightSavingTimeKeepsWallClockTimes() {
        LendingSchedule nights = LendingSchedule.parse(List.of(
                new LendingWindow(List.of("sat", "sun"), "02:30", "06:00", "ci")));
        // 2026-03-29 (Sunday): Berlin's clocks jump from 02:00 to 03:00; 02:30 does not exist.
        assertEquals("ci", nights.effectiveAt(at("2026-03-29T03:10:00")));
        assertEquals("ci", nights.effectiveAt(at("2026-10-25T02:45:00")), "the repeated hour in October");
        assertEquals("desk", nights.effectiveAt(at("2026-10-25T06:00:00")));
    }

    @Test
    void aScheduleWithoutChangesHasNoNextChange() {
        LendingSchedule always = LendingSchedule.parse(List.of(new LendingWindow(
                List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun"), "00:00", "00:00", "ci")));
        assertEquals("ci", always.effectiveAt(at("2026-12-09T13:00:00")));
        assertTrue(always.nextChange(at("2026-12-09T13:00:00")).isEmpty());
    }

    @Test
    void badWindowsAreRefusedNamingTheField() {
        assertEquals("schedule[0].days: 'monday' is not a day (mon, tue, wed, thu, fri, sat, sun)",
                assertThrows(IllegalArgumentException.class, () -> LendingSchedule.parse(List.of(
                        new LendingWindow(List.of("monday"), "19:00", "08:00", "ci")))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LendingSchedule.parse(List.of(
                new LendingWindow(List.of("mon"), "24:00", "08:00", "ci")))).getMessage().startsWith("schedule[0].from"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LendingSchedule.parse(List.of(
                new LendingWindow(List.of("mon"), "19:00", "8:00", "ci")))).getMessage().startsWith("schedule[0].to"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LendingSchedule.parse(List.of(
                new LendingWindow(List.of("mon"), "19:00", "08:00", "desk")))).getMessage().contains("ci or on-demand"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LendingSchedule.parse(List.of(
                new LendingWindow(List.of(), "19:00", "08:00", "ci")))).getMessage().contains("days is empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LendingSchedule.parse(List.of()))
                .getMessage().contains("at least one window"));
    }
}
