package org.rigdesk.daemon.jobs;

import java.io.IOException;
import java.nio.file.Path;

/** A job's config disk as the daemon writes it, for benches that boot the image in a bare QEMU. */
public final class ConfigDisks {

    private ConfigDisks() {
    }

    /** {@code network}: the guest agent's link settings (address, gateway, dns), or null for none. */
    public static void write(Path target, String script, String network) throws IOException {
        ConfigDisk disk = new ConfigDisk().add("script", script).add("env", "").add("secrets", "");
        if (network != null) {
            disk.add("network", network);
        }
        disk.write(target);
    }
}
