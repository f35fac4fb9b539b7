package org.rigdesk.daemon.jobs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the control channel's file as the guest writes it, one complete line at a time, in bounded
 * memory and linear time whatever the guest sends: a line may be at most {@link #MAX_LINE} bytes
 * and the channel at most {@link #MAX_TOTAL}. Past either, {@link Overflow} says what the guest
 * did, and the job fails with it (the guest is untrusted: a job once sent one 400 MB line and the
 * daemon's heap ran out). Memory stays bounded in lines too: a line becomes text only when the
 * {@link Sink} wants to look at it (the rest are skipped where they lie), and at most
 * {@link #MAX_TEXT_LINES} a read, the rest waiting for the next (64 MiB of newlines would otherwise be
 * tens of millions of strings in one read).
 */
final class ControlLines implements AutoCloseable {

    /** The longest control line: real events are a few hundred bytes. */
    static final int MAX_LINE = 64 * 1024;
    /** The most a job may write on its control channel: a sample every few seconds for weeks. */
    static final long MAX_TOTAL = 64L << 20;
    /** The most lines one read turns into text. */
    static final int MAX_TEXT_LINES = 1000;
    private static final int CHUNK = 64 * 1024;

    /** Who takes the lines: asked first whether it looks at the next one at all. */
    interface Sink {
        /** Whether the line just completed becomes text for {@link #line}; false skips it unread. */
        boolean look();

        void line(String text);
    }

    /** The guest broke a limit of the control channel. */
    static final class Overflow extends Exception {
        Overflow(String message) {
            super(message, null, false, false);
        }
    }

    private final RandomAccessFile file;
    private final byte[] chunk = new byte[CHUNK];
    /** The line begun but not ended yet; never longer than MAX_LINE. */
    private byte[] partial = new byte[1024];
    private int partialLength;

    ControlLines(Path path) throws IOException {
        this.file = new RandomAccessFile(path.toFile(), "r");
    }

    /** The lines completed since the last call (stripped of surrounding white space), at most {@link #MAX_TEXT_LINES}. */
    List<String> read() throws IOException, Overflow {
        List<String> lines = new ArrayList<>();
        read(new Sink() {
            @Override
            public boolean look() {
                return true;
            }

            @Override
            public void line(String text) {
                lines.add(text);
            }
        });
        return lines;
    }

    /**
     * Hands the sink the lines completed since the last call, stripped of surrounding white space;
     * after {@link #MAX_TEXT_LINES} it has looked at, the rest stay for the next call. Returns whether
     * lines were left for it.
     */
    boolean read(Sink sink) throws IOException, Overflow {
        long length = file.length();
        if (length > MAX_TOTAL) {
            throw new Overflow("the guest wrote more than " + (MAX_TOTAL >> 20) + " MiB to the control channel");
        }
        int made = 0;
        while (file.getFilePointer() < length) {
            long chunkAt = file.getFilePointer();
            int n = file.read(chunk, 0, (int) Math.min(CHUNK, length - chunkAt));
            if (n <= 0) {
                break;
            }
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (chunk[i] != '\n') {
                    continue;
                }
                append(chunk, start, i - start);
                start = i + 1;
                boolean look = sink.look();
                if (look) {
                    sink.line(new String(partial, 0, partialLength, StandardCharsets.UTF_8).strip());
                }
                partialLength = 0;
                if (look && ++made == MAX_TEXT_LINES) {
                    file.seek(chunkAt + start); // the rest of the chunk is read again next time
                    return true;
                }
            }
            append(chunk, start, n - start);
        }
        return false;
    }

    private void append(byte[] bytes, int offset, int count) throws Overflow {
        if (partialLength + count > MAX_LINE) {
            throw new Overflow("the guest sent a control line over " + (MAX_LINE >> 10) + " KiB");
        }
        if (partialLength + count > partial.length) {
            partial = Arrays.copyOf(partial, Math.min(MAX_LINE, Math.max(partial.length * 2, partialLength + count)));
        }
        System.arraycopy(bytes, offset, partial, partialLength, count);
        partialLength += count;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
