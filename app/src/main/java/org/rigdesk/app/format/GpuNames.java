package org.rigdesk.app.format;

import org.rigdesk.api.wire.Gpu;

/** How a GPU is named to the owner wherever two alike must be told apart: "GeForce RTX 3060 (01:00.0)". */
public final class GpuNames {

    private GpuNames() {
    }

    public static String label(Gpu gpu) {
        String bdf = gpu.bdf();
        return gpu.name() + " (" + (bdf.startsWith("0000:") ? bdf.substring(5) : bdf) + ")";
    }
}
