package org.rigdesk.daemon.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The job log as the daemon writes it: lines cut at 64 KiB, the whole at its cap, each with a marker. */
class BoundedConsoleTest {

    private static String write(long cap, long already, String... chunks) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (BoundedConsole console = new BoundedConsole(log, cap, already)) {
            for (String chunk : chunks) {
                console.write(chunk.getBytes(StandardCharsets.UTF_8));
            }
        }
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aLineOverTheLimitIsCutWithAMarkerAndTheNextLineIsWhole() throws Exception {
        String flood = "a".repeat(BoundedConsole.MAX_LINE + 10_000);
        assertEquals("a".repeat(BoundedConsole.MAX_LINE) + " [rigdesk: line cut at 64 KiB]\nnext\n",
                write(1 << 30, 0, flood.substring(0, 70_000), flood.substring(70_000), "\nnext\n"));
        assertEquals("b".repeat(BoundedConsole.MAX_LINE) + "\n", write(1 << 30, 0, "b".repeat(BoundedConsole.MAX_LINE)
                + "\n"), "a line of exactly the limit is whole");
    }

    @Test
    void atItsCapTheLogSaysSoAndCountsWhatItDropped() throws Exception {
        // 10 bytes of the daemon's own note are already there: 20 of the guest's fit.
        String log = write(30, 10, "0123456789\n", "abcdefghij", "KLMNOPQRST\nmore\n");
        assertEquals("0123456789\nabcdefghi\n[rigdesk: the console log reached its cap of 0 MiB; the rest of the "
                + "job's output is not kept]\n[rigdesk: 17 bytes of console output were dropped]\n", log);
    }

    /** 100,000 lines of random bytes, long lines and control-prefix fragments through the Firecracker splitter. */
    @Test
    void hostileSerialOutputStaysWithinItsLimits() throws Exception {
        Random random = new Random(7);
        long cap = 8L << 20;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ByteArrayOutputStream control = new ByteArrayOutputStream();
        long sent = 0;
        long startedAt = System.nanoTime();
        try (BoundedConsole console = new BoundedConsole(log, cap, 0)) {
            SerialSplitter splitter = new SerialSplitter(FirecrackerVmm.CONTROL_PREFIX, console, control);
            for (int i = 0; i < 100_000; i++) {
                byte[] line = switch (random.nextInt(6)) {
                    case 0 -> new byte[random.nextInt(random.nextInt(50) == 0 ? 200_000 : 200)];
                    case 1 -> (FirecrackerVmm.CONTROL_PREFIX.substring(0,
                            random.nextInt(FirecrackerVmm.CONTROL_PREFIX.length() + 1))
                            + "{\"event\":\"exit\"}\r\n").getBytes(StandardCharsets.UTF_8);
                    default -> ("line " + i + "\n").getBytes(StandardCharsets.UTF_8);
                };
                if (line.length > 0 && line[0] == 0) {
                    random.nextBytes(line);
                }
                splitter.accept(line, line.length);
                sent += line.length;
            }
            splitter.finish();
        }
        System.out.printf("console fuzz: 100000 lines, %d MiB in, %d MiB kept, %.1f s%n", sent >> 20,
                log.size() >> 20, (System.nanoTime() - startedAt) / 1e9);
        String text = log.toString(StandardCharsets.ISO_8859_1);
        assertTrue(log.size() <= cap + 300, "the log passed its cap: " + log.size());
        assertTrue(text.contains("[rigdesk: the console log reached its cap of 8 MiB"));
        for (String line : text.split("\n")) {
            assertTrue(line.length() <= BoundedConsole.MAX_LINE + BoundedConsole.CUT_MARKER.length,
                    "a line of " + line.length() + " bytes was kept");
        }
        String controlLines = control.toString(StandardCharsets.UTF_8);
        assertTrue(controlLines.length() > 1000, "the generator sent too few control lines");
        for (String line : controlLines.split("\n")) {
            assertEquals("{\"event\":\"exit\"}", line, "only prefixed lines reach the control channel");
        }
    }
}
