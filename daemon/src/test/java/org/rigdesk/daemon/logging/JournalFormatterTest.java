package org.rigdesk.daemon.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JournalFormatterTest {

    private final JournalFormatter formatter = new JournalFormatter();

    @Test
    void prefixesTheSyslogPriorityAndKeepsOneLinePerRecord() {
        LogRecord record = new LogRecord(Level.WARNING, "two\nlines");
        record.setLoggerName("org.rigdesk.daemon.vfio.Toggle");
        assertEquals("<4>vfio.Toggle: two lines\n", formatter.format(record));
    }

    @Test
    void mapsLevels() {
        assertEquals(3, JournalFormatter.priority(Level.SEVERE));
        assertEquals(6, JournalFormatter.priority(Level.INFO));
        assertEquals(7, JournalFormatter.priority(Level.FINE));
    }

    @Test
    void stackTraceLinesKeepThePriority() {
        LogRecord record = new LogRecord(Level.SEVERE, "failed");
        record.setThrown(new IllegalStateException("boom"));
        String text = formatter.format(record);
        for (String line : text.split("\n")) {
            assertTrue(line.startsWith("<3>"), line);
        }
        assertTrue(text.contains("IllegalStateException: boom"));
    }

    @Test
    void unknownLogLevelIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Logs.parse("loud"));
    }
}
