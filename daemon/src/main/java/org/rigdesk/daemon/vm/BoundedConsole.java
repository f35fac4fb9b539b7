package org.rigdesk.daemon.vm;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A job's console log as the daemon writes it, whatever the guest prints (it is untrusted), in
 * linear time and fixed memory: a line longer than {@link #MAX_LINE} bytes is cut with a marker,
 * and once the log reaches its cap a marker line says so and the rest is counted, not kept.
 */
public final class BoundedConsole extends OutputStream {

    public static final int MAX_LINE = 64 * 1024;
    static final byte[] CUT_MARKER = " [rigdesk: line cut at 64 KiB]".getBytes(StandardCharsets.UTF_8);

    private final OutputStream out;
    private final long cap;
    private long written;
    private long lineBytes;
    private boolean lineCut;
    private boolean capped;
    private long dropped;

    /** {@code alreadyWritten}: what the log holds before the guest's output (the daemon's own note). */
    public BoundedConsole(OutputStream out, long cap, long alreadyWritten) {
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.cap = cap;
        this.written = alreadyWritten;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            int newline = i;
            while (newline < end && bytes[newline] != '\n') {
                newline++;
            }
            int segment = newline - i;
            int room = (int) Math.max(0, Math.min(segment, MAX_LINE - lineBytes));
            emit(bytes, i, room);
            lineBytes += segment;
            lineCut |= segment > room;
            if (newline < end) {
                if (lineCut) {
                    emit(CUT_MARKER, 0, CUT_MARKER.length);
                }
                emit(new byte[] {'\n'}, 0, 1);
                lineBytes = 0;
                lineCut = false;
            }
            i = newline + 1;
        }
    }

    private void emit(byte[] bytes, int offset, int count) throws IOException {
        if (capped) {
            dropped += count;
            return;
        }
        int fits = (int) Math.min(count, cap - written);
        out.write(bytes, offset, fits);
        written += fits;
        if (fits < count) {
            capped = true;
            dropped += count - fits;
            out.write(("\n[rigdesk: the console log reached its cap of " + (cap >> 20)
                    + " MiB; the rest of the job's output is not kept]\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Bytes the guest printed past the cap. */
    public long dropped() {
        return dropped;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (capped) {
            out.write(("[rigdesk: " + dropped + " bytes of console output were dropped]\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        out.close();
    }
}
