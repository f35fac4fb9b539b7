package org.rigdesk.app.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.Test;

/** The ring a log view keeps: either end dropped and added in one change, offsets kept. */
class LogLinesTest {

    /** Lines "line i", each 10 bytes, the first at i = from. */
    private static LineBatch lines(int from, int to) {
        LineBatch batch = new LineBatch(from * 10L);
        for (int i = from; i < to; i++) {
            batch.add("line " + i, i * 10L, (i + 1) * 10L);
        }
        return batch;
    }

    @Test
    void appendingPastTheCapacityDropsTheOldestInOneChange() {
        LogLines ring = new LogLines(5, Long.MAX_VALUE);
        List<String> changes = new ArrayList<>();
        ring.addListener((ListChangeListener<String>) c -> {
            StringBuilder text = new StringBuilder();
            while (c.next()) {
                text.append(c.wasRemoved() ? "-" + c.getRemovedSize() + "@" + c.getFrom() : "")
                        .append(c.wasAdded() ? "+" + c.getAddedSize() + "@" + c.getFrom() : "").append(' ');
            }
            changes.add(text.toString().strip());
        });
        ring.append(lines(0, 3), true);
        ring.append(lines(3, 7), true);
        assertEquals(List.of("line 2", "line 3", "line 4", "line 5", "line 6"), List.copyOf(ring));
        assertEquals(2, changes.size(), changes.toString());
        assertEquals(20, ring.start());
        assertEquals(70, ring.end());
        ring.append(lines(7, 20), true); // larger than the ring: its newest lines
        assertEquals(List.of("line 15", "line 16", "line 17", "line 18", "line 19"), List.copyOf(ring));
        assertEquals(150, ring.start());
        assertEquals(200, ring.end());
        assertThrows(IndexOutOfBoundsException.class, () -> ring.get(5));
        assertThrows(UnsupportedOperationException.class, () -> ring.add("x"));
    }

    @Test
    void withoutDroppingOnlyWhatFitsIsTakenAndTheEndSaysWhereTheRestStarts() {
        LogLines ring = new LogLines(5, Long.MAX_VALUE);
        assertEquals(3, ring.append(lines(0, 3), false));
        assertEquals(2, ring.append(lines(3, 9), false));
        assertEquals(50, ring.end(), "line 5 is the next to read");
        assertEquals(0, ring.append(lines(5, 9), false));
        assertEquals(50, ring.end());
    }

    @Test
    void longLinesAreBoundedInCharactersAtEitherEnd() {
        LogLines ring = new LogLines(1000, 100);
        LineBatch wide = new LineBatch(0);
        for (int i = 0; i < 10; i++) {
            wide.add(i + "-" + "x".repeat(28), i * 31L, (i + 1) * 31L); // 30 characters each
        }
        ring.append(wide, true);
        assertEquals(3, ring.size(), "100 characters hold three lines of 30");
        assertEquals(90, ring.chars());
        assertEquals('7', ring.get(0).charAt(0));
        assertEquals(7 * 31, ring.start());

        LogLines reading = new LogLines(1000, 100);
        assertEquals(3, reading.append(wide, false), "without dropping, what fits");
        assertEquals(3 * 31, reading.end());

        LineBatch before = new LineBatch(0);
        for (int i = 0; i < 7; i++) {
            before.add(i + "-" + "x".repeat(28), i * 31L, (i + 1) * 31L);
        }
        assertEquals(3, ring.prepend(before));
        assertEquals('4', ring.get(0).charAt(0));
        assertEquals(90, ring.chars(), "the newest made room");
        assertEquals(7 * 31, ring.end());
    }

    @Test
    void prependingDropsTheNewestAndMovesTheEnd() {
        LogLines ring = new LogLines(5, Long.MAX_VALUE);
        ring.append(lines(10, 14), true);
        assertEquals(3, ring.prepend(lines(7, 10)));
        assertEquals(List.of("line 7", "line 8", "line 9", "line 10", "line 11"), List.copyOf(ring));
        assertEquals(70, ring.start());
        assertEquals(120, ring.end(), "line 12 is the next after the window");
        ring.reset(0);
        assertEquals(0, ring.size());
        assertEquals(0, ring.start());
    }
}
