package org.rigdesk.daemon.vfio;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rigdesk.daemon.gpu.DeviceRole;
import org.rigdesk.daemon.gpu.PciDevice;

/**
 * A GPU and its IOMMU group, split the way rule 2 needs: {@code movable} functions go to
 * vfio-pci together (bridges stay on pcieport), {@code strangers} are devices that are not part
 * of any card in the group and so forbid the move.
 */
public record Card(PciDevice gpu, List<PciDevice> members, List<PciDevice> movable, List<PciDevice> strangers) {

    public static Card of(PciDevice gpu, List<PciDevice> groupMembers) {
        List<PciDevice> members = groupMembers.isEmpty() ? List.of(gpu) : List.copyOf(groupMembers);
        Set<String> cardSlots = new HashSet<>();
        cardSlots.add(gpu.bdf().slot());
        for (PciDevice member : members) {
            if (DeviceRole.isDisplay(member.pciClass())) {
                cardSlots.add(member.bdf().slot());
            }
        }
        List<PciDevice> movable = members.stream().filter(d -> d.role() != DeviceRole.BRIDGE).toList();
        List<PciDevice> strangers = movable.stream()
                .filter(d -> !d.bdf().equals(gpu.bdf()) && !DeviceRole.isDisplay(d.pciClass())
                        && !(d.role().travelsWithCard() && cardSlots.contains(d.bdf().slot())))
                .toList();
        return new Card(gpu, members, movable, strangers);
    }

    /** Every movable function on vfio-pci. */
    public boolean allOnVfio() {
        return movable.stream().allMatch(d -> VfioService.VFIO_DRIVER.equals(d.driver()));
    }

    /** Every movable function on a host driver (bound, and not to vfio-pci). */
    public boolean allOnHost() {
        return movable.stream().allMatch(d -> d.driver() != null && !VfioService.VFIO_DRIVER.equals(d.driver()));
    }

    /** The order functions move to vfio-pci: the card's other functions first, the display last. */
    public List<PciDevice> toVfioOrder() {
        return movable.stream()
                .sorted((a, b) -> Boolean.compare(DeviceRole.isDisplay(a.pciClass()), DeviceRole.isDisplay(b.pciClass())))
                .toList();
    }

    /** The order functions return to the host: the display first, so its audio finds it bound. */
    public List<PciDevice> toHostOrder() {
        List<PciDevice> order = new java.util.ArrayList<>(toVfioOrder());
        java.util.Collections.reverse(order);
        return order;
    }
}
