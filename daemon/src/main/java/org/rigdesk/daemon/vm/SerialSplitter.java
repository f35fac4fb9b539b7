package org.rigdesk.daemon.vm;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits a guest's serial output into the job's console log and its control channel, byte by byte
 * as it comes, in linear time and fixed memory whatever the guest prints (it is untrusted): a line
 * that starts with the control prefix goes, without the prefix, to the control channel (whose
 * reader bounds it); any other line to the console (the job log's FIFO, whose reader,
 * {@link BoundedConsole}, bounds it). The console gets the bytes as they came (the guest agent
 * turns the serial port's output processing off, so a \r before a \n is the job's); a control
 * line's \r before its newline is dropped.
 */
final class SerialSplitter {

    private enum Target { UNDECIDED, CONSOLE, CONTROL }

    private final byte[] prefix;
    private final OutputStream console;
    private final OutputStream control;
    /** The start of a line, while it may still be the prefix. */
    private final byte[] head;
    private int headLength;
    private Target target = Target.UNDECIDED;
    private boolean pendingReturn;

    /** Writes go through buffers, flushed after each chunk the guest sent. */
    SerialSplitter(String controlPrefix, OutputStream console, OutputStream control) {
        this.prefix = controlPrefix.getBytes(StandardCharsets.UTF_8);
        this.head = new byte[prefix.length];
        this.console = new BufferedOutputStream(console, 64 * 1024);
        this.control = new BufferedOutputStream(control, 16 * 1024);
    }

    void accept(byte[] bytes, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                if (pendingReturn && target != Target.CONTROL) {
                    put((byte) '\r'); // the job's own: the agent makes the serial port raw, so none is added
                }
                pendingReturn = false;
                endLine();
            } else {
                if (pendingReturn) {
                    pendingReturn = false;
                    put((byte) '\r');
                }
                if (b == '\r') {
                    pendingReturn = true;
                } else {
                    put(b);
                }
            }
        }
        console.flush();
        control.flush();
    }

    /** The guest is gone: a last line without its newline still counts. */
    void finish() throws IOException {
        if (pendingReturn) {
            pendingReturn = false;
            put((byte) '\r');
        }
        if (target != Target.UNDECIDED || headLength > 0) {
            endLine();
        }
        console.flush();
        control.flush();
    }

    private void put(byte b) throws IOException {
        if (target == Target.UNDECIDED) {
            head[headLength++] = b;
            if (head[headLength - 1] != prefix[headLength - 1]) {
                headIsConsole();
            } else if (headLength == prefix.length) {
                target = Target.CONTROL;
                headLength = 0;
            }
            return;
        }
        (target == Target.CONTROL ? control : console).write(b);
    }

    /** The line's start is not the prefix: it, and the rest of the line, go to the console. */
    private void headIsConsole() throws IOException {
        target = Target.CONSOLE;
        console.write(head, 0, headLength);
        headLength = 0;
    }

    private void endLine() throws IOException {
        if (target == Target.UNDECIDED) {
            // A short line that matched the prefix so far: it is console output.
            headIsConsole();
        }
        (target == Target.CONTROL ? control : console).write('\n');
        target = Target.UNDECIDED;
    }
}
