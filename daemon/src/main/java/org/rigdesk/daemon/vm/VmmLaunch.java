package org.rigdesk.daemon.vm;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * How a VMM process is started: directly (a daemon that is not root), or through a launcher that
 * puts it in its job's cgroup ({@code join}, run as root), in a network namespace of its own with
 * nothing in it ({@code unshare --net}), and drops it to the job's own uid with no privileges left
 * ({@code drop}). {@code uid} is -1 when the VMM runs as the daemon's own user. A VMM with a jailer
 * of its own (Firecracker's) takes the join and lets its jailer drop.
 *
 * <p>A VMM that escapes its guest then reaches no network at all: not the host's loopback
 * services, not the LAN. Its job's tap is opened for it before the namespace is left (by a few
 * lines of Perl, which Debian always has, as {@code TUNSETIFF} needs an ioctl), and it finds the
 * tap on descriptor {@link #TAP_FD} (QEMU's {@code -netdev tap,fd=3}). cloud-hypervisor takes a
 * tap descriptor only over its API socket and Firecracker only by name: they start in an empty
 * namespace all the same, and {@code tapPlug} puts the job's tap into it before they are told to
 * open it ({@link #plugTap}): the namespace then holds the tap, bridged to the host over a veth
 * pair (see JobNetworks), and no address or route.
 */
public record VmmLaunch(List<String> join, List<String> drop, int uid, TapPlug tapPlug) {

    /** Puts a job's tap into the network namespace of its running VMM, the process {@code pid}. */
    @FunctionalInterface
    public interface TapPlug {
        void into(long pid) throws IOException;
    }

    public static final VmmLaunch DIRECT = new VmmLaunch(List.of(), List.of(), -1);

    /** The descriptor a confined VMM finds its job's tap on. */
    public static final int TAP_FD = 3;

    /**
     * Opens the tap named by its first argument on descriptor 3 (IFF_TAP | IFF_NO_PI |
     * IFF_VNET_HDR; a 40-byte struct ifreq), then becomes the rest of its arguments.
     */
    static final String OPEN_TAP = "use POSIX; $^F = 3; my $name = shift @ARGV; "
            + "open(my $tap, '+<', '/dev/net/tun') or die \"rigdesk-vmm: /dev/net/tun: $!\\n\"; "
            + "ioctl($tap, 0x400454ca, pack('Z16 s x22', $name, 0x5002)) or die \"rigdesk-vmm: tap $name: $!\\n\"; "
            + "if (fileno($tap) != 3) { POSIX::dup2(fileno($tap), 3) or die \"rigdesk-vmm: dup2: $!\\n\"; } "
            + "exec { $ARGV[0] } @ARGV or die \"rigdesk-vmm: $ARGV[0]: $!\\n\";";

    public VmmLaunch {
        join = List.copyOf(join);
        drop = List.copyOf(drop);
    }

    public VmmLaunch(List<String> join, List<String> drop, int uid) {
        this(join, drop, uid, null);
    }

    /** This launch, with what puts the job's tap into the VMM's namespace. */
    public VmmLaunch withTapPlug(TapPlug plug) {
        return new VmmLaunch(join, drop, uid, plug);
    }

    /**
     * For a VMM that opens its tap by name, once it runs (its API socket answers, so it is in its
     * own namespace) and before it is told the tap's name: the tap goes into its namespace. The
     * VMM is the daemon's child, so its pid is not reused while it is alive.
     */
    public void plugTap(Process vmm) throws IOException {
        if (tapPlug != null) {
            if (!vmm.isAlive()) {
                throw new IOException("the VMM exited before its network was plugged in");
            }
            tapPlug.into(vmm.pid());
        }
    }

    /** The VMM's command, confined, in a network namespace of its own (it has no network). */
    public List<String> wrap(List<String> argv) {
        return wrap(argv, null);
    }

    /**
     * The VMM's command, confined, in an empty network namespace; with {@code tap}, the job's tap
     * open on {@link #TAP_FD} (the VMM must be told to use that descriptor: {@link #tapFd}).
     */
    public List<String> wrap(List<String> argv, String tap) {
        List<String> command = new ArrayList<>(join);
        if (confined()) {
            if (tap != null) {
                command.addAll(List.of("/usr/bin/perl", "-e", OPEN_TAP, tap));
            }
            command.addAll(List.of("unshare", "--net", "--"));
        }
        command.addAll(drop);
        command.addAll(argv);
        return command;
    }

    /** Whether the VMM gets its tap as a descriptor (confined) rather than opening it by name. */
    public boolean tapFd() {
        return confined();
    }

    /**
     * A jailer's command: in the job's cgroup and an empty network namespace, still root (the
     * jailer drops to {@link #uid} itself).
     */
    public List<String> wrapJailer(List<String> argv) {
        List<String> command = new ArrayList<>(join);
        if (confined()) {
            command.addAll(List.of("unshare", "--net", "--"));
        }
        command.addAll(argv);
        return command;
    }

    public boolean confined() {
        return uid >= 0;
    }
}
