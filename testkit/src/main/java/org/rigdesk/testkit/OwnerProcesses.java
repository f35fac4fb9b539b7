package org.rigdesk.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The owner's processes in a demo rig's /proc, laid out as the kernel shows them (comm, maps, fd links). */
public final class OwnerProcesses {

    private OwnerProcesses() {
    }

    /** A process {@code pid} named {@code comm} holding {@code node} open (e.g. /dev/nvidia1), as fd 3. */
    public static void hold(Path proc, int pid, String comm, String node) throws IOException {
        Path fd = Files.createDirectories(proc.resolve(Integer.toString(pid)).resolve("fd"));
        Files.writeString(fd.getParent().resolve("comm"), comm + "\n");
        Files.writeString(fd.getParent().resolve("maps"), "");
        Files.createSymbolicLink(fd.resolve("3"), Path.of(node));
    }
}
