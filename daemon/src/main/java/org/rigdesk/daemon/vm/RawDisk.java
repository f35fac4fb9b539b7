package org.rigdesk.daemon.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A job's root disk for VMMs without qcow2 backing files: a private copy of the image's raw disk. */
final class RawDisk {

    private RawDisk() {
    }

    static void copy(Path base, Path target) throws IOException {
        // cp can reflink on btrfs and XFS, which makes the copy free; otherwise it is a plain copy.
        Process cp = new ProcessBuilder("cp", "--reflink=auto", "--sparse=always", base.toString(), target.toString())
                .redirectErrorStream(true).start();
        try {
            if (cp.waitFor() == 0) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.copy(base, target, StandardCopyOption.REPLACE_EXISTING);
    }
}
