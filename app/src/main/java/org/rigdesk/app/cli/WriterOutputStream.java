package org.rigdesk.app.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bytes of a UTF-8 stream to a PrintWriter, keeping characters split across chunks whole; for a
 * terminal, through {@link TerminalText}.
 */
final class WriterOutputStream extends OutputStream {

    private final PrintWriter writer;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pending = ByteBuffer.allocate(0);
    /** Null: the text goes out as it came. */
    private final TerminalText terminal;

    WriterOutputStream(PrintWriter writer) {
        this(writer, false);
    }

    /** {@code forTerminal}: control sequences are shown, not obeyed. */
    WriterOutputStream(PrintWriter writer, boolean forTerminal) {
        this.writer = writer;
        this.terminal = forTerminal ? new TerminalText() : null;
    }

    /** A job's output for standard output: made visible when that is a terminal, unless {@code raw}. */
    static WriterOutputStream jobOutput(PrintWriter writer, boolean raw) {
        return new WriterOutputStream(writer, !raw && TerminalText.stdoutIsTerminal());
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        ByteBuffer input = ByteBuffer.allocate(pending.remaining() + length);
        input.put(pending).put(bytes, offset, length).flip();
        CharBuffer chars = CharBuffer.allocate(input.remaining() + 1);
        decoder.decode(input, chars, false);
        chars.flip();
        writer.append(terminal == null ? chars : terminal.visible(chars));
        pending = input.slice();
    }

    @Override
    public void flush() {
        writer.flush();
    }

    /** The end of the stream: what the terminal filter held back goes out. */
    @Override
    public void close() {
        if (terminal != null) {
            writer.append(terminal.end());
        }
        writer.flush();
    }
}
