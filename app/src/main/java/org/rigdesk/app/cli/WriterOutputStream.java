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

    /**
     * A job's output for standard output: made visible when that is a terminal, unless {@code raw};
     * otherwise the job's bytes as it wrote them on {@code bytes} (standard output's own, after what
     * the writer holds), so {@code rigdesk run -- cmd > out} gives what cmd wrote; through the
     * writer as UTF-8 text only where there are no bytes under it (a test's writer).
     */
    static OutputStream jobOutput(PrintWriter writer, OutputStream bytes, boolean raw) {
        boolean terminal = !raw && TerminalText.stdoutIsTerminal();
        if (terminal || bytes == null) {
            return new WriterOutputStream(writer, terminal);
        }
        writer.flush();
        return new java.io.FilterOutputStream(bytes) {
            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws java.io.IOException {
                flush(); // standard output stays open for what the command prints after
            }
        };
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
