package org.rigdesk.daemon.sandbox;

import java.util.BitSet;

/**
 * The unprivileged uids job VMMs run as, one per running job, so that no VMM can read another
 * job's disks. They need no /etc/passwd entry: a VMM never looks itself up. The range sits above
 * systemd's container range (up to 1879048191) and below 2^31, which some tools read as negative.
 */
public final class VmmUsers {

    public static final int DEFAULT_BASE = 1_900_000_000;
    public static final int SIZE = 65_536;

    private final int base;
    private final BitSet used = new BitSet(SIZE);

    public VmmUsers(int base) {
        if (base < 1000 || (long) base + SIZE > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the VMM uid base must be between 1000 and " + (Integer.MAX_VALUE - SIZE));
        }
        this.base = base;
    }

    /** A uid no other running job has; the lowest free, so that ids stay recognisable. */
    public synchronized int acquire() {
        int index = used.nextClearBit(0);
        if (index >= SIZE) {
            throw new IllegalStateException("all " + SIZE + " VMM uids are in use");
        }
        used.set(index);
        return base + index;
    }

    public synchronized void release(int uid) {
        if (owns(uid)) {
            used.clear(uid - base);
        }
    }

    /** Whether {@code uid} is one of Rigdesk's VMM uids (files a crashed daemon left are theirs). */
    public boolean owns(int uid) {
        return uid >= base && uid < base + SIZE;
    }
}
