package org.rigdesk.daemon.vm;

import java.util.ArrayList;
import java.util.List;

/**
 * How a VMM process is started: directly (a daemon that is not root), or through a launcher that
 * puts it in its job's cgroup and drops it to the job's own uid with no privileges left.
 * {@code uid} is -1 when the VMM runs as the daemon's own user.
 */
public record VmmLaunch(List<String> prefix, int uid) {

    public static final VmmLaunch DIRECT = new VmmLaunch(List.of(), -1);

    public VmmLaunch {
        prefix = List.copyOf(prefix);
    }

    public List<String> wrap(List<String> argv) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(argv);
        return command;
    }
}
