package org.rigdesk.daemon.vm;

import java.util.ArrayList;
import java.util.List;

/**
 * How a VMM process is started: directly (a daemon that is not root), or through a launcher that
 * puts it in its job's cgroup ({@code join}, run as root) and drops it to the job's own uid with
 * no privileges left ({@code drop}). {@code uid} is -1 when the VMM runs as the daemon's own user.
 * A VMM with a jailer of its own (Firecracker's) takes the join and lets its jailer drop.
 */
public record VmmLaunch(List<String> join, List<String> drop, int uid) {

    public static final VmmLaunch DIRECT = new VmmLaunch(List.of(), List.of(), -1);

    public VmmLaunch {
        join = List.copyOf(join);
        drop = List.copyOf(drop);
    }

    /** The VMM's command, confined. */
    public List<String> wrap(List<String> argv) {
        List<String> command = new ArrayList<>(join);
        command.addAll(drop);
        command.addAll(argv);
        return command;
    }

    /** A jailer's command: in the job's cgroup, still root (the jailer drops to {@link #uid} itself). */
    public List<String> wrapJailer(List<String> argv) {
        List<String> command = new ArrayList<>(join);
        command.addAll(argv);
        return command;
    }

    public boolean confined() {
        return uid >= 0;
    }
}
