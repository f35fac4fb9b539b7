package org.rigdesk.app.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bytes to lines: offsets exact, fed in any pieces, bad bytes and endless lines contained. */
class LineSplitterTest {

    private static LineBatch split(byte[] bytes, int piece, long offset) {
        LineBatch out = new LineBatch(offset);
        LineSplitter splitter = new LineSplitter(offset);
        for (int at = 0; at < bytes.length; at += piece) {
            splitter.feed(bytes, at, Math.min(piece, bytes.length - at), out);
        }
        splitter.finish(out);
        return out;
    }

    private static List<String> texts(LineBatch batch) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            texts.add(batch.texts[i]);
        }
        return texts;
    }

    @Test
    void linesKeepTheirOffsetsWhicheverPiecesTheBytesComeIn() {
        byte[] log = "booting\r\nh\u00e9llo \u20ac\n\nlast without newline".getBytes(StandardCharsets.UTF_8);
        for (int piece : new int[] {1, 2, 3, 7, log.length}) {
            LineBatch batch = split(log, piece, 1000);
            assertEquals(List.of("booting", "h\u00e9llo \u20ac", "", "last without newline"), texts(batch), "pieces of " + piece);
            assertEquals(1000, batch.starts[0]);
            assertEquals(1009, batch.starts[1]); // after "booting\r\n"
            assertEquals(1009 + "h\u00e9llo \u20ac\n".getBytes(StandardCharsets.UTF_8).length, batch.starts[2]);
            assertEquals(1000 + log.length, batch.end);
        }
    }

    @Test
    void aBadByteSpoilsOnlyItsOwnLine() {
        byte[] log = {'o', 'k', '\n', (byte) 0xff, (byte) 0xfe, 'x', '\n', 'f', 'i', 'n', 'e', '\n'};
        assertEquals(List.of("ok", "\ufffd\ufffdx", "fine"), texts(split(log, 5, 0)));
    }

    @Test
    void aJobThatNeverPrintsANewlineIsCutIntoBoundedLinesBetweenCharacters() {
        // 100,000 two-byte characters and no newline: 200,000 bytes.
        byte[] log = "\u00e9".repeat(100_000).getBytes(StandardCharsets.UTF_8);
        LineBatch batch = split(log, 4093, 0);
        assertTrue(batch.size() >= 200_000 / LineSplitter.MAX_LINE_BYTES, "cut into lines: " + batch.size());
        StringBuilder whole = new StringBuilder();
        for (int i = 0; i < batch.size(); i++) {
            String line = batch.texts[i];
            assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= LineSplitter.MAX_LINE_BYTES);
            assertTrue(line.chars().allMatch(c -> c == '\u00e9'), "no character cut in two, line " + i);
            long next = i + 1 < batch.size() ? batch.starts[i + 1] : batch.end;
            assertEquals(line.getBytes(StandardCharsets.UTF_8).length, next - batch.starts[i], "offsets of line " + i);
            whole.append(line);
        }
        assertEquals(100_000, whole.length());
    }

    @Test
    void aStretchFromTheMiddleOfALogStartsAtItsFirstWholeLine() {
        byte[] stretch = "tail of a line\nwhole\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(15, LineSplitter.firstLineStart(stretch, stretch.length));
        assertEquals(0, LineSplitter.firstLineStart("no newline".getBytes(StandardCharsets.UTF_8), 10));
    }
}
