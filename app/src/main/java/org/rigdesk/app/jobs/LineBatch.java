package org.rigdesk.app.jobs;

import java.util.Arrays;

/**
 * Lines cut from a stretch of a job's log, each with the byte offset it starts at, and the offset
 * just past the last one: what {@link LogLines} needs to read the neighbouring stretches back.
 */
final class LineBatch {

    String[] texts = new String[64];
    long[] starts = new long[64];
    int size;
    /** Where the next line starts (the batch's start while it is empty). */
    long end;
    /** A read-back that got fewer bytes than it asked for: nothing follows, for now. */
    boolean reachedEnd;

    LineBatch(long start) {
        this.end = start;
    }

    void add(String text, long start, long next) {
        if (size == texts.length) {
            texts = Arrays.copyOf(texts, size * 2);
            starts = Arrays.copyOf(starts, size * 2);
        }
        texts[size] = text;
        starts[size] = start;
        size++;
        end = next;
    }

    /** Keeps only the first {@code n} lines: the batch then ends where the next one started. */
    void keepFirst(int n) {
        if (n < size) {
            end = starts[n];
            Arrays.fill(texts, n, size, null);
            size = n;
        }
    }

    /** Keeps only the last {@code n} lines. */
    void keepLast(int n) {
        if (n < size) {
            int from = size - n;
            System.arraycopy(texts, from, texts, 0, n);
            System.arraycopy(starts, from, starts, 0, n);
            Arrays.fill(texts, n, size, null);
            size = n;
        }
    }

    int size() {
        return size;
    }
}
