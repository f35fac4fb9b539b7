package org.rigdesk.daemon.release;

import java.nio.file.Path;

/** The actions runner a runner VM gets: its read-only disk, or why there is none yet. */
public interface RunnerSupply {

    /** The current runner's ext4 image, or null. */
    Path disk();

    /** Why there is no disk, in words with the remedy; null when there is one. */
    String unusable();
}
