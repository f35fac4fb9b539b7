package org.rigdesk.api.wire;

/** A process using a GPU, from nvidia-smi's compute-apps query. */
public record ComputeProcess(String bdf, long pid, String name, Double usedMemoryMiB) {
}
