package org.rigdesk.api.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The short form of a schedule window, as the CLI and the window read and show it. */
class LendingWindowTest {

    @Test
    void readsRangesListsAndTheDefaultPolicy() {
        assertEquals(new LendingWindow(List.of("mon", "tue", "wed", "thu", "fri"), "19:00", "08:00", "ci"),
                LendingWindow.parse("mon-fri 19:00-08:00"));
        assertEquals(new LendingWindow(List.of("sat", "sun"), "00:00", "00:00", "on-demand"),
                LendingWindow.parse("  Sat,sun   00:00-00:00 on-demand "));
        assertEquals(List.of("fri", "sat", "sun", "mon"), LendingWindow.parse("fri-mon 20:00-06:00").days(),
                "a range may wrap round the week");
    }

    @Test
    void writesWhatItReads() {
        for (String text : List.of("mon-fri 19:00-08:00 ci", "sat,sun 00:00-00:00 on-demand", "mon,wed-fri 09:00-17:00 ci",
                "tue 12:00-13:00 ci")) {
            assertEquals(text, LendingWindow.parse(text).text());
        }
    }

    @Test
    void refusesWhatIsNotAWindow() {
        for (String bad : List.of("", "mon-fri", "funday 19:00-08:00", "mon-fri 19:00", "mon-fri 19:00-08:00 ci extra")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LendingWindow.parse(bad), bad);
            assertTrue(e.getMessage().contains("window") || e.getMessage().contains("day"), e.getMessage());
        }
    }
}
