package org.rigdesk.api.wire;

import java.util.List;

/**
 * The job VM image the daemon boots, as its {@code image.json} describes it ({@code GET /v1/info}):
 * where it is, its flavour ({@code runner}, {@code test}), the distribution inside, Docker's
 * version, the NVIDIA driver and the newest CUDA it runs (null without one), whether Docker has
 * NVIDIA's runtime, when it was built (null when unknown), and the labels it adds to GPU slots.
 * {@code present} false: nothing is there yet (no job can run).
 */
public record ImageInfo(String dir, boolean present, String flavour, String distro, String docker, String driver,
                        String cuda, boolean containerToolkit, String builtAt, List<String> gpuLabels) {

    public ImageInfo {
        gpuLabels = gpuLabels == null ? List.of() : List.copyOf(gpuLabels);
    }
}
