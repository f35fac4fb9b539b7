package org.rigdesk.app.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javafx.collections.ObservableListBase;

/**
 * The stretch of a job's log a view keeps: at most {@code capacity} lines in a ring, so dropping
 * the oldest is as cheap as adding the newest (an {@code ObservableList}'s own {@code remove(0, n)}
 * removes one element at a time, each shifting the whole list). Each line keeps the byte offset it
 * starts at, so the lines before {@link #start()} and after {@link #end()} can be read back from
 * the daemon. Bounded in characters too: 200,000 lines of a job that prints 16 KiB lines would
 * otherwise be 3 GiB. One change event per call; read-only to everyone else; UI thread only.
 */
final class LogLines extends ObservableListBase<String> {

    private final int capacity;
    private final long maxChars;
    private long chars;
    private final String[] texts;
    private final long[] starts;
    private int head;
    private int size;
    private long end;

    LogLines(int capacity, long maxChars) {
        this.capacity = capacity;
        this.maxChars = maxChars;
        this.texts = new String[capacity];
        this.starts = new long[capacity];
    }

    @Override
    public String get(int index) {
        Objects.checkIndex(index, size);
        return texts[slot(index)];
    }

    @Override
    public int size() {
        return size;
    }

    /** The offset of the first line kept: 0 when the log is kept from its start. */
    long start() {
        return size == 0 ? end : starts[head];
    }

    /** The offset just past the last line kept: where newer lines start. */
    long end() {
        return end;
    }

    int capacity() {
        return capacity;
    }

    /** Keeps nothing; the next lines appended start at {@code offset}. */
    void reset(long offset) {
        if (size > 0) {
            beginChange();
            nextRemove(0, copy(0, size));
            clearSlots(0, size);
            size = 0;
            endChange();
        }
        chars = 0;
        head = 0;
        end = offset;
    }

    /**
     * Adds lines that start at {@link #end()}. With {@code dropOldest} the oldest lines make room
     * (and of a batch larger than the ring, only its newest lines are kept); without it only what
     * fits is taken. Returns how many of the batch's lines were taken.
     */
    int append(LineBatch batch, boolean dropOldest) {
        int from = dropOldest ? newest(batch) : 0;
        int take = dropOldest ? batch.size - from : fitting(batch);
        if (take == 0) {
            if (dropOldest) {
                end = batch.end;
            }
            return 0;
        }
        long adding = length(batch, from, from + take);
        int drop = Math.max(0, size + take - capacity);
        for (long kept = chars - length(0, drop); drop < size && kept + adding > maxChars; drop++) {
            kept -= texts[slot(drop)].length();
        }
        beginChange();
        if (drop > 0) {
            nextRemove(0, copy(0, drop));
            chars -= length(0, drop);
            clearSlots(0, drop);
            head = (head + drop) % capacity;
            size -= drop;
        }
        chars += adding;
        int at = size;
        for (int i = from; i < from + take; i++) {
            int slot = slot(size);
            texts[slot] = batch.texts[i];
            starts[slot] = batch.starts[i];
            size++;
        }
        end = from + take == batch.size ? batch.end : batch.starts[from + take];
        nextAdd(at, size);
        endChange();
        return take;
    }

    /**
     * Adds lines that end at {@link #start()} before the first, dropping the newest when the ring
     * is full (of a batch larger than the ring, its newest lines). Returns how many were added.
     */
    int prepend(LineBatch batch) {
        int take = batch.size - newest(batch);
        if (take == 0) {
            return 0;
        }
        long adding = length(batch, batch.size - take, batch.size);
        int drop = Math.max(0, size + take - capacity);
        for (long kept = chars - length(size - drop, size); drop < size && kept + adding > maxChars; drop++) {
            kept -= texts[slot(size - drop - 1)].length();
        }
        beginChange();
        if (drop > 0) {
            nextRemove(size - drop, copy(size - drop, size));
            end = starts[slot(size - drop)];
            chars -= length(size - drop, size);
            clearSlots(size - drop, size);
            size -= drop;
        }
        chars += adding;
        if (size == 0 && drop == 0) {
            end = batch.end;
        }
        for (int i = batch.size - 1; i >= batch.size - take; i--) {
            head = (head - 1 + capacity) % capacity;
            texts[head] = batch.texts[i];
            starts[head] = batch.starts[i];
            size++;
        }
        nextAdd(0, take);
        endChange();
        return take;
    }

    /** Where the newest lines of a batch that fit an empty window begin. */
    private int newest(LineBatch batch) {
        int from = Math.max(0, batch.size - capacity);
        for (long total = length(batch, from, batch.size); total > maxChars && from < batch.size - 1; from++) {
            total -= batch.texts[from].length();
        }
        return from;
    }

    /** How many of a batch's first lines fit beside what is kept. */
    private int fitting(LineBatch batch) {
        int take = 0;
        for (long total = chars; take < Math.min(batch.size, capacity - size)
                && total + batch.texts[take].length() <= maxChars; take++) {
            total += batch.texts[take].length();
        }
        return take;
    }

    private static long length(LineBatch batch, int from, int to) {
        long total = 0;
        for (int i = from; i < to; i++) {
            total += batch.texts[i].length();
        }
        return total;
    }

    private long length(int from, int to) {
        long total = 0;
        for (int i = from; i < to; i++) {
            total += texts[slot(i)].length();
        }
        return total;
    }

    /** Characters kept. */
    long chars() {
        return chars;
    }

    private int slot(int index) {
        return (head + index) % capacity;
    }

    private List<String> copy(int from, int to) {
        List<String> removed = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            removed.add(texts[slot(i)]);
        }
        return removed;
    }

    private void clearSlots(int from, int to) {
        for (int i = from; i < to; i++) {
            texts[slot(i)] = null;
        }
    }
}
