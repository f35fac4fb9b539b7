package org.rigdesk.api.wire;

import java.util.List;

/** {@code GET /v1/gpus}. */
public record GpuList(List<Gpu> gpus) {
    public GpuList {
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }
}
