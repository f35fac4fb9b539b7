package org.rigdesk.daemon.vfio;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Every change Rigdesk makes to the kernel goes through here: sysfs attribute writes and module
 * loads. The real one writes /sys and runs modprobe; the emulated one applies the kernel's side
 * effects to a fake tree. Callers bound each call with a timeout (rule 6).
 */
public interface Kernel {

    /** Writes {@code value} to a sysfs attribute in one write, as {@code echo -n value > file} would. */
    void write(Path attribute, String value) throws IOException;

    /** Loads a kernel module (modprobe NAME); fails if it cannot be loaded. */
    void modprobe(String module) throws IOException;
}
