package org.rigdesk.app.jobs;

import java.nio.charset.StandardCharsets;

/**
 * Cuts a job's log bytes into lines, with the offset each starts at. A line is decoded as UTF-8
 * on its own (a bad byte becomes U+FFFD and spoils nothing after it), a {@code \r} before its
 * newline is not shown, and none is longer than {@link #MAX_LINE_BYTES}: a job that never prints
 * a newline is cut into lines (at a character's boundary) instead of growing one without bound.
 */
final class LineSplitter {

    static final int MAX_LINE_BYTES = 16 * 1024;

    private final byte[] partial = new byte[MAX_LINE_BYTES];
    private int partialLength;
    private long lineStart;
    private long position;

    /** {@code offset}: where in the log the first byte fed lies. */
    LineSplitter(long offset) {
        this.lineStart = offset;
        this.position = offset;
    }

    /** Adds the lines that {@code bytes[off, off+len)} completes to {@code out}; the rest waits. */
    void feed(byte[] bytes, int off, int len, LineBatch out) {
        long base = position - off;
        int segment = off;
        for (int i = off; i < off + len; i++) {
            if (bytes[i] == '\n') {
                take(bytes, segment, i, base, out);
                emit(base + i + 1, out);
                segment = i + 1;
            }
        }
        take(bytes, segment, off + len, base, out);
        position += len;
    }

    /** The log ended: what is left is its last line. */
    void finish(LineBatch out) {
        if (position > lineStart) {
            emit(position, out);
        }
    }

    /** Where the first whole line of a stretch read from the middle of a log starts (0: none found). */
    static int firstLineStart(byte[] bytes, int len) {
        for (int i = 0; i < len; i++) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        return 0;
    }

    private void take(byte[] bytes, int from, int to, long base, LineBatch out) {
        while (to - from > MAX_LINE_BYTES - partialLength) {
            int room = MAX_LINE_BYTES - partialLength;
            int cut = from + room;
            // Not inside a character: back over UTF-8 continuation bytes (a character has at most 3).
            for (int k = 0; k < 3 && cut > from && (bytes[cut] & 0xC0) == 0x80; k++) {
                cut--;
            }
            if (cut == from && partialLength == 0) {
                cut = from + room;
            }
            System.arraycopy(bytes, from, partial, partialLength, cut - from);
            partialLength += cut - from;
            emit(base + cut, out);
            from = cut;
        }
        System.arraycopy(bytes, from, partial, partialLength, to - from);
        partialLength += to - from;
    }

    private void emit(long next, LineBatch out) {
        int length = partialLength;
        if (length > 0 && partial[length - 1] == '\r') {
            length--;
        }
        out.add(new String(partial, 0, length, StandardCharsets.UTF_8), lineStart, next);
        lineStart = next;
        partialLength = 0;
    }
}
