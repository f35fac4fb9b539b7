package org.rigdesk.daemon.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Benchmarks print one row each to stdout and to target/bench.txt, so a run ends with one table. */
public final class BenchReport {

    private static final Path FILE = Path.of("target", "bench.txt");

    private BenchReport() {
    }

    public static void row(String benchmark, String value, String unit, String note) {
        String line = String.format("BENCH | %-48s | %14s | %-18s | %s", benchmark, value, unit, note);
        System.out.println(line);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("(cannot write " + FILE + ": " + e.getMessage() + ")");
        }
    }
}
