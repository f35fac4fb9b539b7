package org.rigdesk.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Benchmarks print one row each to stdout and append it to one file ({@code rigdesk.bench.file},
 * the reactor's target/bench.txt under Maven), which the build prints as one table at the end.
 */
public final class BenchReport {

    private static final Path FILE = Path.of(System.getProperty("rigdesk.bench.file", "target/bench.txt"));

    private BenchReport() {
    }

    /** The middle of {@code values} (the upper middle of an even count). */
    public static double median(java.util.List<Double> values) {
        java.util.List<Double> sorted = new java.util.ArrayList<>(values);
        java.util.Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
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
