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
        installFakeNvidiaSmi(dir.resolve("bin"));
        return dir.resolve("sys");
    }

    /** The fake nvidia-smi of a simulated rig: {@code bin/} beside its {@code sys/}. */
    public static Path fakeNvidiaSmi(Path sys) {
        return sys.resolveSibling("bin").resolve("nvidia-smi");
    }

    private static void installFakeNvidiaSmi(Path bin) {
        try (var script = SimulatedRig.class.getResourceAsStream("fake-nvidia-smi")) {
            if (script == null) {
                throw new IllegalStateException("fake-nvidia-smi is missing from the build");
            }
            Files.createDirectories(bin);
            Path target = bin.resolve("nvidia-smi");
            Files.write(target, script.readAllBytes());
            Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the fake nvidia-smi in " + bin + ": " + e.getMessage(), e);
        }
    }
}
