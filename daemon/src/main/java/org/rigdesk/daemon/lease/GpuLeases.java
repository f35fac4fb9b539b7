package org.rigdesk.daemon.lease;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who holds each GPU's IOMMU group: a driver change (a toggle, or the start's reconcile), a job, or
 * nobody. The one owner of that answer (rule 1): the toggle takes a group here before it checks
 * or writes anything, and the scheduler lends groups to a job here, all of them or none, so a
 * card can never be moved under a job nor handed to a job while it moves.
 *
 * <p>A group is named by {@link #key(Integer, String)}. Every method is atomic; none blocks on
 * anything but this object's monitor, so holders never wait for each other here: whoever comes
 * second is told who holds the group.
 */
public final class GpuLeases {

    /** The holder of a group. */
    public sealed interface Holder permits Changing, Stuck, ForJob, Quarantined {
    }

    /** A toggle (or the start's reconcile) is moving the group between drivers. */
    public record Changing() implements Holder {
    }

    /** A sysfs write for the group never returned: nothing may touch it until a reboot. */
    public record Stuck() implements Holder {
    }

    /** Lent to a job's VM. */
    public record ForJob(long jobId) implements Holder {
    }

    /** Failed its health check: no job gets it, no change touches it, until a check passes. */
    public record Quarantined(String why) implements Holder {
    }

    private static final Changing CHANGING = new Changing();
    private static final Stuck STUCK = new Stuck();

    private final Map<String, Holder> holders = new HashMap<>();

    /** A group's name: its IOMMU group, or the PCI slot of a card without one (IOMMU off). */
    public static String key(Integer iommuGroup, String slot) {
        return iommuGroup != null ? "group " + iommuGroup : "slot " + slot;
    }

    public synchronized Optional<Holder> holder(String group) {
        return Optional.ofNullable(holders.get(group));
    }

    /**
     * Takes a group for a driver change. Returns empty when taken (release it with
     * {@link #endChange}), or whoever holds it, untouched.
     */
    public synchronized Optional<Holder> beginChange(String group) {
        Holder current = holders.get(group);
        if (current != null) {
            return Optional.of(current);
        }
        holders.put(group, CHANGING);
        return Optional.empty();
    }

    /** The change is over; a group marked stuck stays held. */
    public synchronized void endChange(String group) {
        holders.remove(group, CHANGING);
    }

    /** The kernel never answered a write for this group: it stays held for good. */
    public synchronized void markStuck(String group) {
        holders.put(group, STUCK);
    }

    /** Quarantines a group (whoever held it, but a stuck one stays stuck). */
    public synchronized void quarantine(String group, String why) {
        if (!(holders.get(group) instanceof Stuck)) {
            holders.put(group, new Quarantined(why));
        }
    }

    /** Lifts a group's quarantine; whatever else holds it is left alone. */
    public synchronized void lift(String group) {
        if (holders.get(group) instanceof Quarantined) {
            holders.remove(group);
        }
    }

    /** Lends every group to the job, or none when any is held. */
    public synchronized boolean lend(long jobId, Collection<String> groups) {
        if (groups.stream().anyMatch(holders::containsKey)) {
            return false;
        }
        ForJob lent = new ForJob(jobId);
        groups.forEach(group -> holders.put(group, lent));
        return true;
    }

    /** Gives back everything lent to the job. */
    public synchronized void giveBack(long jobId) {
        holders.values().removeIf(holder -> holder instanceof ForJob lent && lent.jobId() == jobId);
    }
}
