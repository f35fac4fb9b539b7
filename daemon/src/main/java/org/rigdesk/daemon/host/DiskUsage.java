package org.rigdesk.daemon.host;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * The bytes a file or a directory tree takes on its disk: its allocated blocks, not its apparent
 * size (a sparse cache image, a VM's copy-on-write layers), hard links counted once. Java has no
 * call for blocks, so {@code du} answers.
 */
public final class DiskUsage {

    private DiskUsage() {
    }

    /** The allocated bytes of {@code path}, or empty when {@code du} cannot say (it is gone, say). */
    public static OptionalLong allocated(Path path) {
        try {
            String out = CommandRunner.run(List.of("du", "-s", "-B1", path.toString()), Duration.ofSeconds(10));
            return OptionalLong.of(Long.parseLong(out.strip().split("\\s+")[0]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
