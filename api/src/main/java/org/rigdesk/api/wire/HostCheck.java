package org.rigdesk.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One readiness check of the host (IOMMU, vfio-pci, KVM, a VMM binary).
 * {@code required} checks block GPU passthrough or VMs when they fail; the others only limit choice.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HostCheck(String id, String title, boolean ok, boolean required, String detail, String remedy) {
}
