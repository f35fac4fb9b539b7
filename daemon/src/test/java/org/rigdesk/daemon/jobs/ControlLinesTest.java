package org.rigdesk.daemon.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control channel read as the guest writes it: whole lines only, bounded whatever comes. */
class ControlLinesTest {

    @TempDir
    Path dir;

    private void write(Path file, byte[] bytes) throws Exception {
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            out.write(bytes);
        }
    }

    @Test
    void linesArriveWholeEvenWhenTheGuestWritesThemInPiecesAndSplitsACharacter() throws Exception {
        Path file = dir.resolve("control.log");
        Files.createFile(file);
        byte[] line = "{\"event\":\"job-started\",\"job\":\"größe\"}\n".getBytes(StandardCharsets.UTF_8);
        try (ControlLines control = new ControlLines(file)) {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < line.length; i += 5) { // "ö" is split between two writes
                write(file, java.util.Arrays.copyOfRange(line, i, Math.min(line.length, i + 5)));
                seen.addAll(control.read());
            }
            write(file, "  {\"event\":\"started\"}  \n\n".getBytes(StandardCharsets.UTF_8));
            seen.addAll(control.read());
            assertEquals(List.of("{\"event\":\"job-started\",\"job\":\"größe\"}", "{\"event\":\"started\"}", ""), seen);
        }
    }

    @Test
    void aLineOverTheLimitIsRefusedSayingWhatTheGuestDid() throws Exception {
        Path file = dir.resolve("control.log");
        write(file, "{\"event\":\"started\"}\n".getBytes(StandardCharsets.UTF_8));
        byte[] flood = new byte[ControlLines.MAX_LINE + 1];
        java.util.Arrays.fill(flood, (byte) 'a');
        try (ControlLines control = new ControlLines(file)) {
            assertEquals(List.of("{\"event\":\"started\"}"), control.read());
            write(file, java.util.Arrays.copyOf(flood, ControlLines.MAX_LINE));
            assertEquals(List.of(), control.read(), "at the limit, still waiting for its end");
            write(file, new byte[] {'a'});
            ControlLines.Overflow overflow = assertThrows(ControlLines.Overflow.class, control::read);
            assertEquals("the guest sent a control line over 64 KiB", overflow.getMessage());
        }
    }

    @Test
    void aChannelOverItsSizeIsRefusedBeforeItIsRead() throws Exception {
        Path file = dir.resolve("control.log");
        try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(ControlLines.MAX_TOTAL + 1);
        }
        try (ControlLines control = new ControlLines(file)) {
            ControlLines.Overflow overflow = assertThrows(ControlLines.Overflow.class, control::read);
            assertTrue(overflow.getMessage().contains("more than 64 MiB"), overflow.getMessage());
        }
    }
}
