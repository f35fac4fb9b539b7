package org.rigdesk.daemon.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100,000 generated control lines, as a hostile guest would write them (overlong, binary, invalid
 * UTF-8, deep JSON, huge numbers, forged and mistyped events, floods), fed through the reader,
 * parser and gate a job's VM uses: nothing but the channel's own overflow escapes, an overflow
 * comes exactly when a limit is passed, and what is admitted is within the contract. Seeded, so a
 * failure repeats; the count and time are printed.
 */
class GuestBoundaryFuzzTest {

    private static final int LINES = 100_000;
    private static final int PER_SESSION = 2_000;

    @TempDir
    Path dir;

    @Test
    void hundredThousandHostileLinesAreReadParsedAndGatedWithinTheContract() throws Exception {
        Random random = new Random(20261202);
        long startedAt = System.nanoTime();
        int admitted = 0;
        int overflows = 0;
        long bytes = 0;
        for (int session = 0; session < LINES / PER_SESSION; session++) {
            Path file = dir.resolve("control-" + session + ".log");
            Files.createFile(file);
            EventGate gate = new EventGate(random.nextBoolean(), random.nextInt(3), 0);
            long clock = 0;
            try (ControlLines control = new ControlLines(file);
                 OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
                for (int i = 0; i < PER_SESSION; i++) {
                    // Half the sessions end with a line past the limit, which fails the job.
                    byte[] line = i == PER_SESSION - 1 && session % 2 == 0 ? overlong(random) : line(random);
                    bytes += line.length;
                    boolean overlong = line.length - 1 > ControlLines.MAX_LINE;
                    // Written in pieces, as a guest's writes arrive.
                    for (int at = 0; at < line.length; ) {
                        int piece = Math.min(line.length - at, 1 + random.nextInt(70_000));
                        out.write(line, at, piece);
                        out.flush();
                        at += piece;
                        try {
                            for (String text : control.read()) {
                                clock += random.nextInt(3) == 0 ? 0 : 20_000_000L; // bursts and pauses
                                if (!gate.allowLine(clock)) {
                                    continue;
                                }
                                Optional<GuestEvent> event = GuestEvent.parse(text);
                                if (event.isPresent() && gate.admit(event.get())) {
                                    admitted++;
                                    check(event.get());
                                }
                            }
                        } catch (ControlLines.Overflow overflow) {
                            assertTrue(overlong, "an overflow on a line of " + line.length + " bytes");
                            assertEquals("the guest sent a control line over 64 KiB", overflow.getMessage());
                            overflows++;
                            at = line.length;
                            i = PER_SESSION; // the job has failed: its channel is read no more
                        }
                    }
                    if (overlong && i < PER_SESSION) {
                        fail("a line of " + line.length + " bytes passed");
                    }
                }
            }
            gate.summary().ifPresent(summary -> assertTrue(summary.length() < 1_000, summary));
        }
        double seconds = (System.nanoTime() - startedAt) / 1e9;
        System.out.printf("guest boundary fuzz: %d lines (%d MiB), %d events admitted, %d overflows, %.1f s%n",
                LINES, bytes >> 20, admitted, overflows, seconds);
        assertTrue(admitted > 1_000, "the generator made too few valid events to exercise the gate: " + admitted);
        assertTrue(overflows > 0, "no overlong line was generated");
    }

    /** What an admitted event may carry: cleaned text within its length, exit codes of a process. */
    private static void check(GuestEvent event) {
        if (event instanceof GuestEvent.Exit exit) {
            assertTrue(exit.code() >= -1 && exit.code() <= 255, "exit code " + exit.code());
        } else if (event instanceof GuestEvent.JobStarted started) {
            for (String text : new String[] {started.repository(), started.workflow(), started.job()}) {
                assertClean(text);
            }
            assertTrue(started.runAttempt() == null || started.runAttempt() >= Integer.MIN_VALUE);
        } else if (event instanceof GuestEvent.JobResult result) {
            assertClean(result.result());
        }
    }

    private static void assertClean(String text) {
        if (text != null) {
            assertTrue(text.length() <= GuestEvent.MAX_TEXT + 1, "kept " + text.length() + " characters");
            assertTrue(text.chars().noneMatch(Character::isISOControl), "a control character was kept: " + text);
        }
    }

    private static final String[] KINDS = {"started", "exit", "sample", "runner", "job-started", "job-result", "ready",
        "evil"};

    /** One line as a hostile (or, sometimes, an honest) guest writes it, with its newline. */
    private static byte[] line(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int kind = random.nextInt(100);
        String text;
        if (kind < 40) {
            text = event(random);
        } else if (kind < 50) {
            byte[] binary = new byte[random.nextInt(300)];
            random.nextBytes(binary);
            out.writeBytes(binary);
            text = "";
        } else if (kind < 55) {
            // Invalid UTF-8 inside a string, a lone continuation byte and an overlong encoding.
            out.writeBytes("{\"event\":\"job-started\",\"repository\":\"".getBytes(StandardCharsets.UTF_8));
            out.writeBytes(new byte[] {(byte) 0xC0, (byte) 0xAF, (byte) 0x80, (byte) 0xFF});
            text = "\"}";
        } else if (kind < 60) {
            int depth = 1 + random.nextInt(random.nextBoolean() ? 12 : 20_000);
            text = "{\"event\":\"sample\",\"gpus\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        } else if (kind < 65) {
            String[] huge = {"1e400", "-1e400", "9".repeat(40), "123456789012345678901234567890", "-0", "NaN", "0.5"};
            text = "{\"event\":\"" + (random.nextBoolean() ? "exit\",\"code\":" : "job-started\",\"runId\":")
                    + huge[random.nextInt(huge.length)] + "}";
        } else if (kind < 67) {
            // Up to the limit, not past it (a CR counts, so a byte is kept for it).
            int length = ControlLines.MAX_LINE - 1 - random.nextInt(40);
            String head = "{\"event\":\"job-result\",\"result\":\"";
            text = head + "x".repeat(length - head.length() - 2) + "\"}";
        } else if (kind < 80) {
            // Mistyped fields of real events.
            String[] forged = {"{\"event\":\"exit\",\"code\":\"0\"}", "{\"event\":\"exit\",\"code\":[0]}",
                "{\"event\":\"job-started\",\"repository\":{\"a\":1},\"runId\":-5,\"runAttempt\":99999999999}",
                "{\"event\":7}", "{\"event\":null}", "[\"event\",\"exit\"]", "\"exit\"", "{\"event\":\"exit\"",
                "{\"event\":\"runner\",\"state\":[\"listening\"]}", "{\"event\":\"sample\",\"gpus\":\"all\"}",
                "{\"event\":\"exit\",\"code\":0}{\"event\":\"exit\",\"code\":1}", "{}", "", "null"};
            text = forged[random.nextInt(forged.length)];
        } else {
            // A flood of samples.
            text = "{\"event\":\"sample\",\"gpus\":[{\"index\":0,\"temperatureC\":" + random.nextInt(1000)
                    + ",\"name\":\"<b>GPU</b>\\u0007\"}]}";
        }
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        if (random.nextInt(50) == 0) {
            out.write('\r');
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** A line past the limit: just past it, or far (a megabyte without a newline in sight). */
    private static byte[] overlong(Random random) {
        int length = ControlLines.MAX_LINE + 1 + (random.nextBoolean() ? random.nextInt(4) : random.nextInt(1 << 20));
        byte[] line = new byte[length + 1];
        java.util.Arrays.fill(line, (byte) 'a');
        line[length] = '\n';
        return line;
    }

    private static String event(Random random) {
        String kind = KINDS[random.nextInt(KINDS.length)];
        return switch (kind) {
            case "exit" -> "{\"event\":\"exit\",\"code\":" + (random.nextInt(600) - 200) + "}";
            case "runner" -> "{\"event\":\"runner\",\"state\":\"listening\"}";
            case "job-started" -> "{\"event\":\"job-started\",\"repository\":\"" + markup(random)
                    + "\",\"workflow\":\"w\\u0000\\u001b[31m\",\"job\":\"build\",\"runId\":" + random.nextLong()
                    + ",\"runAttempt\":" + random.nextInt() + "}";
            case "job-result" -> "{\"event\":\"job-result\",\"result\":\"" + markup(random) + "\"}";
            case "sample" -> "{\"event\":\"sample\",\"gpus\":[" + "{\"index\":0},".repeat(random.nextInt(4))
                    + "{\"index\":1}]}";
            default -> "{\"event\":\"" + kind + "\"}";
        };
    }

    private static String markup(Random random) {
        String[] names = {"octo/<a href='x'>repo</a>", "a\\nb\\tc", "x".repeat(random.nextInt(5_000)), "\\u202eevil",
            "&amp;&lt;", "ok"};
        return names[random.nextInt(names.length)];
    }
}
