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

    @Test
    void aReadMakesTextOfAtMostItsShareOfLinesAndNoneOfThoseTheSinkSkips() throws Exception {
        Path file = dir.resolve("control.log");
        write(file, "{\"event\":\"ready\"}\n".repeat(3 * ControlLines.MAX_TEXT_LINES + 10).getBytes(StandardCharsets.UTF_8));
        try (ControlLines control = new ControlLines(file)) {
            assertEquals(ControlLines.MAX_TEXT_LINES, control.read().size(), "the first share");
            int[] looked = new int[1];
            int[] made = new int[1];
            ControlLines.Sink everyOther = new ControlLines.Sink() {
                @Override
                public boolean look() {
                    return looked[0]++ % 2 == 0;
                }

                @Override
                public void line(String text) {
                    assertEquals("{\"event\":\"ready\"}", text);
                    made[0]++;
                }
            };
            assertTrue(control.read(everyOther), "more lines wait");
            assertEquals(ControlLines.MAX_TEXT_LINES, made[0]);
            assertEquals(2 * ControlLines.MAX_TEXT_LINES - 1, looked[0], "skipped lines do not count");
            assertEquals(false, control.read(everyOther), "the rest fit");
            assertEquals(3 * ControlLines.MAX_TEXT_LINES + 10 - ControlLines.MAX_TEXT_LINES, looked[0]);
        }
    }

    /**
     * 64 MiB of newlines, the channel's whole allowance, read by a JVM with a 64 MiB heap as a job's
     * watch reads them (the rate gate refusing most): under KVM a guest writes that between two polls.
     */
    @Test
    void sixtyFourMebibytesOfNewlinesPassUnderASixtyFourMebibyteHeap() throws Exception {
        Path file = dir.resolve("control.log");
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] newlines = new byte[1 << 20];
            java.util.Arrays.fill(newlines, (byte) '\n');
            for (int i = 0; i < ControlLines.MAX_TOTAL >> 20; i++) {
                out.write(newlines);
            }
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                Flood.class.getName(), file.toString()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.waitFor(), output);
        assertEquals("lines " + ControlLines.MAX_TOTAL, output.strip());
    }

    /** The child of the heap test: reads the file to its end through the job's gate, printing the lines seen. */
    static final class Flood {
        public static void main(String[] args) throws Exception {
            EventGate gate = new EventGate(false, 0, System.nanoTime());
            long[] seen = new long[1];
            try (ControlLines control = new ControlLines(Path.of(args[0]))) {
                ControlLines.Sink sink = new ControlLines.Sink() {
                    @Override
                    public boolean look() {
                        seen[0]++;
                        return gate.allowLine(System.nanoTime());
                    }

                    @Override
                    public void line(String text) {
                        GuestEvent.parse(text).filter(gate::admit);
                    }
                };
                while (control.read(sink)) {
                    // a poll's share at a time
                }
            }
            System.out.println("lines " + seen[0]);
        }
    }
}
