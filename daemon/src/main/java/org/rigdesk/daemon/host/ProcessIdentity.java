package org.rigdesk.daemon.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Who this process runs as. */
public final class ProcessIdentity {

    private ProcessIdentity() {
    }

    /** Whether the real and effective uids of this process are 0 (from /proc: no extra module needed). */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] ids = line.substring(4).strip().split("\\s+");
                    return ids[0].equals("0") && ids[1].equals("0");
                }
            }
        } catch (IOException e) {
            // no procfs: fall back on the name
        }
        return "root".equals(System.getProperty("user.name"));
    }
}
