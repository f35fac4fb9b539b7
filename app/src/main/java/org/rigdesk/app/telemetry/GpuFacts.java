package org.rigdesk.app.telemetry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuSample;

/** The static facts of a GPU for its detail view; "n/a" where the host cannot know. */
public final class GpuFacts {

    private GpuFacts() {
    }

    public static Map<String, String> of(Gpu gpu, GpuSample sample) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Name", gpu.name() + " (" + gpu.vendorId() + ":" + gpu.deviceId() + ")");
        facts.put("UUID", sample != null && sample.uuid() != null ? sample.uuid()
                : gpu.is(GpuMode.VFIO) ? "n/a (on vfio-pci: only a VM's driver can read it)" : "n/a");
        String driver = gpu.driver() == null ? "none" : gpu.driver();
        if (sample != null && sample.driverVersion() != null && !"vfio-pci".equals(driver)) {
            driver += " " + sample.driverVersion();
        }
        facts.put("Driver", driver);
        Gpu.Link link = gpu.link();
        facts.put("PCIe link", link == null || link.speed() == null ? "n/a"
                : link.speed() + (link.width() == null ? "" : " x" + link.width()));
        facts.put("NUMA node", gpu.numaNode() == null || gpu.numaNode() < 0 ? "n/a (single node)"
                : gpu.numaNode().toString());
        facts.put("IOMMU group", gpu.iommuGroup() == null ? "none: IOMMU off" : gpu.iommuGroup() + (gpu.groupDevices()
                .isEmpty() ? " (alone)" : ", with " + gpu.groupDevices().stream()
                .map(d -> d.bdf() + " " + d.role() + " (" + (d.driver() == null ? "no driver" : d.driver()) + ")")
                .collect(Collectors.joining(", "))));
        facts.put("Boot display", gpu.bootVga() ? "yes: it shows the console, so it stays on the host" : "no");
        return facts;
    }
}
