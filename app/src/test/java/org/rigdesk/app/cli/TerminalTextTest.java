package org.rigdesk.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A job's output on the owner's terminal: shown, never obeyed. */
class TerminalTextTest {

    @Test
    void escapeSequencesShowAsCaretsAndCannotRetitleOrOverwrite() {
        TerminalText text = new TerminalText();
        String hostile = "ok\u001b]0;pwned\u0007\u001b[2J\u001b[1A\tdone\u009b31m\u007f\n";
        assertEquals("ok^[]0;pwned^G^[[2J^[[1A\tdone?31m^?\n", text.visible(hostile));
    }

    @Test
    void aLoneCarriageReturnStartsALineEvenAcrossPiecesAndCrLfStaysOneLineEnd() {
        TerminalText text = new TerminalText();
        assertEquals("10%", text.visible("10%\r"));
        assertEquals("\n50%", text.visible("50%"));
        assertEquals("\nsecret hidden?\n", text.visible("\rsecret hidden?\r\n"));
        assertEquals("", text.visible("\r"));
        assertEquals("\n", text.end());
    }

    @Test
    void theStreamSplitsNoCharacterAndRawKeepsEveryByte() {
        byte[] bytes = "größe \u001b[31mred\u001b[0m\n".getBytes(StandardCharsets.UTF_8);
        StringWriter shown = new StringWriter();
        StringWriter raw = new StringWriter();
        try (WriterOutputStream terminal = new WriterOutputStream(new PrintWriter(shown), true);
             WriterOutputStream plain = new WriterOutputStream(new PrintWriter(raw), false)) {
            for (int i = 0; i < bytes.length; i += 3) {
                terminal.write(bytes, i, Math.min(3, bytes.length - i));
                plain.write(bytes, i, Math.min(3, bytes.length - i));
            }
        }
        assertEquals("größe ^[[31mred^[[0m\n", shown.toString());
        assertEquals("größe \u001b[31mred\u001b[0m\n", raw.toString());
    }
}
