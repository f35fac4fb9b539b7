package org.rigdesk.daemon.simulation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where {@code --simulate NAME} keeps its tree: under the state dir, so restarts keep its state. */
public final class SimulatedRig {

    private SimulatedRig() {
    }

    /** Builds the rig on first use and returns its sysfs root (proc lies beside it). */
    public static Path prepare(String name, Path stateDir) {
        if (!DemoRigs.NAMES.contains(name)) {
            throw new IllegalArgumentException("no demo rig named '" + name + "'; choose one of " + DemoRigs.NAMES);
        }
        Path dir = stateDir.resolve("simulated").resolve(name);
        if (!Files.isDirectory(dir.resolve("sys"))) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
            }
            DemoRigs.build(name, dir);
        }
        return dir.resolve("sys");
    }
}
