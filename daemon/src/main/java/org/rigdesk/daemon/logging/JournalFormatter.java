package org.rigdesk.daemon.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One line per record, prefixed with the syslog priority in angle brackets ({@code <3>} error,
 * {@code <4>} warning, {@code <6>} info, {@code <7>} debug): journald reads that prefix from a
 * service's stderr, so levels survive without a logging library. No timestamps: journald adds them.
 */
public class JournalFormatter extends Formatter {

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder()
                .append('<').append(priority(record.getLevel())).append('>')
                .append(shortName(record.getLoggerName())).append(": ")
                .append(formatMessage(record).replace('\n', ' '))
                .append('\n');
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            for (String traceLine : trace.toString().split("\n")) {
                line.append('<').append(priority(record.getLevel())).append(">  ").append(traceLine).append('\n');
            }
        }
        return line.toString();
    }

    static int priority(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return 3;
        }
        if (value >= Level.WARNING.intValue()) {
            return 4;
        }
        if (value >= Level.INFO.intValue()) {
            return 6;
        }
        return 7;
    }

    private static String shortName(String logger) {
        if (logger == null) {
            return "rigdeskd";
        }
        if (logger.startsWith("org.rigdesk.daemon.")) {
            return logger.substring("org.rigdesk.daemon.".length());
        }
        int dot = logger.lastIndexOf('.');
        return dot < 0 ? logger : logger.substring(dot + 1);
    }
}
