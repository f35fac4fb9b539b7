package org.rigdesk.daemon.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How much of the host job VMs may take together: every core, three quarters of the memory. */
public final class HostBudget {

    private HostBudget() {
    }

    public static int memoryMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return (int) Math.max(256, kib / 1024 * 3 / 4);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return 2048;
    }
}
