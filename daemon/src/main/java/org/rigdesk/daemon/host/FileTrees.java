package org.rigdesk.daemon.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing a directory and everything in it: a job's, a cache's, a runner release's. */
public final class FileTrees {

    private FileTrees() {
    }

    /**
     * Deletes {@code root} and what is under it, deepest first; nothing when it is not there. Links
     * are removed, never followed (a job's directory may hold links a guest's tooling made).
     */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
