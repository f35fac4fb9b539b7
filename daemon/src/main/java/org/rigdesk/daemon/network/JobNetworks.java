package org.rigdesk.daemon.network;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.rigdesk.api.wire.HostCheck;
import org.rigdesk.api.wire.JobNetwork;
import org.rigdesk.daemon.host.CommandRunner;

/**
 * Job VMs' networks: each VM gets a tap of its own ({@code rd-<job>}, owned by its VMM's uid) with
 * a routed /30 out of the job subnet — the host end is its gateway and resolver, the VM the other
 * address. No bridge: VMs share no link, so they cannot reach each other below IP, and above it
 * {@link FirewallTable} refuses them. Crash-safe: at start every {@code rd-*} link a killed daemon
 * left is deleted and the table made anew.
 *
 * <p>A VMM that opens its tap by name (cloud-hypervisor, Firecracker) cannot be handed the tap as a
 * descriptor; it starts in an empty namespace like QEMU, and its job's {@code rd-<job>} link is a
 * veth pair instead: once the VMM runs, the inner end ({@code rdu-<job>}) moves into its namespace,
 * where the tap is made and bridged to it ({@link Lease#plugInto}). The host sees the guest's frames
 * on {@code rd-<job>} exactly as on a tap, with the same address and rules, while the VMM's
 * namespace has no address, no route and no other link, and goes when the VMM exits. No named
 * namespace (/run/netns): that needs mount(), which the unit's system call filter refuses.
 */
public final class JobNetworks implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JobNetworks.class.getName());
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    public static final String DEFAULT_SUBNET = "10.201.0.0/16";
    /** The rule of a refusal that is a packet sent from an address not the job's. */
    public static final String SPOOFED = "not the job's address";

    private final String ip;
    private final Ipv4.Block subnet;
    private final List<InetSocketAddress> upstreams;
    private final List<String> hiddenDomains;
    private final FirewallTable table;
    private final DockerUserChain docker;
    private final Path procSys;
    /**
     * Host-wide and per boot: where daemons agree who manages a network namespace's job networks.
     * The system socket's directory: the unit's runtime directory, gone when the service stops,
     * and what a purge removes.
     */
    static final Path LOCK_DIR = org.rigdesk.api.client.SocketLocator.SYSTEM_SOCKET.getParent();
    private final Path lockDir;
    private NamespaceLock namespaceLock;
    private volatile boolean namespaceTaken;
    private final Path forwardingNote;
    private final BitSet used = new BitSet();
    private final Map<Long, Lease> open = new ConcurrentHashMap<>();
    private final LanRoutes lan;
    private volatile List<String> exceptions = List.of();
    private volatile String unavailable;

    /**
     * {@code subnet}: where job links are numbered; {@code upstreams}: the resolvers DNS is forwarded
     * to; {@code stateDir}: where the forwarding note and nft's scratch files go.
     */
    public JobNetworks(String ip, String nft, String iptables, String subnet, List<InetSocketAddress> upstreams,
                       List<String> hiddenDomains, Path stateDir, Path procSys) {
        this(ip, nft, iptables, subnet, upstreams, hiddenDomains, stateDir, procSys, LOCK_DIR);
    }

    /** {@code lockDir}: where daemons of one host agree who manages a namespace's job networks. */
    JobNetworks(String ip, String nft, String iptables, String subnet, List<InetSocketAddress> upstreams,
                List<String> hiddenDomains, Path stateDir, Path procSys, Path lockDir) {
        this.lockDir = lockDir;
        this.hiddenDomains = List.copyOf(hiddenDomains);
        this.ip = ip;
        this.docker = new DockerUserChain(iptables);
        this.subnet = Ipv4.Block.parse(subnet).filter(block -> block.prefix() <= 28)
                .orElseThrow(() -> new IllegalArgumentException("the job subnet must be an IPv4 block of /28 or "
                        + "larger, e.g. " + DEFAULT_SUBNET + "; got " + subnet));
        this.upstreams = List.copyOf(upstreams);
        this.table = new FirewallTable(nft, stateDir.resolve("network"), this.subnet);
        this.lan = new LanRoutes(ip, this.subnet, table::setLan);
        this.procSys = procSys;
        this.forwardingNote = stateDir.resolve("network").resolve("ip_forward.before");
    }

    /**
     * The host's own search domains (resolv.conf's {@code search} and {@code domain}): its
     * intranet's names, which jobs do not resolve unless the owner allows them.
     */
    public static List<String> searchDomains(Path resolvConf) {
        List<String> found = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(resolvConf)) {
                String[] words = line.strip().split("\\s+");
                if (words.length >= 2 && (words[0].equals("search") || words[0].equals("domain"))) {
                    for (int i = 1; i < words.length && !words[i].startsWith("#"); i++) {
                        if (!words[i].equals(".") && !found.contains(words[i])) {
                            found.add(words[i]);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // no resolv.conf: no search domains
        }
        return found;
    }

    /** The host's resolvers as /etc/resolv.conf names them (port 53). */
    public static List<InetSocketAddress> resolvers(Path resolvConf) {
        List<InetSocketAddress> found = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(resolvConf)) {
                String[] words = line.strip().split("\\s+");
                if (words.length >= 2 && words[0].equals("nameserver")) {
                    found.add(new InetSocketAddress(InetAddress.getByName(words[1]), 53));
                }
            }
        } catch (IOException e) {
            LOG.warning("cannot read " + resolvConf + ": job VMs' DNS has no resolver to ask");
        }
        return found;
    }

    /**
     * At start: what a killed daemon left goes (its links; its table, made anew), IPv4 forwarding
     * is on. Without root or the tools, job networks are unavailable and say why.
     */
    public synchronized void start(boolean root, List<String> exceptions) {
        this.exceptions = List.copyOf(exceptions);
        if (!root) {
            unavailable = "job VMs get networks only when rigdeskd runs as root";
            return;
        }
        try {
            namespaceLock = NamespaceLock.take(lockDir, Path.of("/proc/self/ns/net"));
        } catch (IOException e) {
            // Touch nothing: the links, rules and table are the other daemon's, under its running jobs.
            unavailable = e.getMessage() + "; this one runs jobs without networks";
            namespaceTaken = true;
            LOG.warning(unavailable);
            return;
        }
        try {
            removeLeftoverLinks();
            enableForwarding();
            table.install();
            lan.start();
            docker.open();
            applyExceptions(exceptions);
            openTun();
            unavailable = null;
            LOG.info("job networks: routed /30 links in " + subnet + ", nftables table inet " + FirewallTable.TABLE);
        } catch (IOException e) {
            unavailable = "job networks cannot be set up: " + e.getMessage();
            LOG.warning(unavailable);
            try {
                table.remove(); // nothing half-made stays in the host's rules
            } catch (IOException ignored) {
                // no nft, or no table: nothing to remove
            }
        }
    }

    /** The host check: whether jobs get isolated networks here, or why not. */
    public HostCheck check() {
        return new HostCheck("job-network", "Isolated job networks", unavailable == null, false,
                unavailable != null ? unavailable : "a routed tap per job VM: the internet, not the host or the LAN "
                        + "(nftables table inet " + FirewallTable.TABLE + ")",
                unavailable == null ? null : namespaceTaken ? "stop the other rigdeskd, or run this one in a network "
                        + "namespace of its own" : "run rigdeskd as root; apt install iproute2 nftables");
    }

    /** Why jobs cannot have a network here, or empty. */
    public Optional<String> unavailable() {
        return Optional.ofNullable(unavailable);
    }

    /** The owner's exceptions ({@code HOST:PORT}, {@code CIDR:PORT}), names looked up now. */
    public synchronized void applyExceptions(List<String> entries) throws IOException {
        exceptions = List.copyOf(entries);
        if (unavailable != null) {
            return; // no table: the entries are applied when one is made
        }
        List<Ipv4.Block> blocks = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        for (String entry : entries) {
            NetworkException exception = NetworkException.parse(entry);
            for (Ipv4.Block block : exception.blocks()) {
                blocks.add(block);
                ports.add(exception.port());
            }
        }
        table.setExceptions(blocks, ports);
    }

    /**
     * A network for job {@code jobId}'s VM, its tap owned by {@code uid} (-1: the daemon's own),
     * reaching what {@code policy} lets it.
     */
    public Lease open(long jobId, int uid, EgressPolicy policy) throws IOException {
        return open(jobId, uid, policy, false);
    }

    /**
     * As {@link #open(long, int, EgressPolicy)}; with {@code inVmmNamespace} the tap is made in the
     * VMM's own namespace once it runs ({@link Lease#plugInto}), for a VMM that opens it by name.
     */
    public Lease open(long jobId, int uid, EgressPolicy policy, boolean inVmmNamespace) throws IOException {
        if (unavailable != null) {
            throw new IOException(unavailable);
        }
        int index = allocate();
        int base = subnet.base() + index * 4;
        String name = "rd-" + jobId;
        Lease lease = new Lease(jobId, index, name, inVmmNamespace ? "rdu-" + jobId : null, uid,
                Ipv4.format(base + 1), Ipv4.format(base + 2), policy);
        try {
            lease.create();
        } catch (IOException e) {
            lease.close();
            throw e;
        }
        open.put(jobId, lease);
        return lease;
    }

    /** The egress log so far of a job whose VM runs now. */
    public Optional<JobNetwork> live(long jobId) {
        Lease lease = open.get(jobId);
        return lease == null ? Optional.empty() : Optional.of(lease.log());
    }

    private synchronized int allocate() throws IOException {
        int index = used.nextClearBit(0);
        if (index >= subnet.size() / 4) {
            throw new IOException("the job subnet " + subnet + " has no free /30 left");
        }
        used.set(index);
        return index;
    }

    private synchronized void release(int index) {
        used.clear(index);
    }

    private void removeLeftoverLinks() throws IOException {
        for (String line : run(List.of(ip, "-o", "link", "show")).lines().toList()) {
            String[] fields = line.split(":\\s+", 3);
            if (fields.length >= 2 && fields[1].startsWith("rd-")) {
                String name = fields[1].split("@")[0];
                LOG.warning("removing " + name + ", a job link the previous rigdeskd left");
                run(List.of(ip, "link", "delete", name));
            }
        }
    }

    /** IPv4 forwarding, as Docker and libvirt turn it on; the value before is noted, and restored when Rigdesk stops. */
    private void enableForwarding() throws IOException {
        Path forwarding = procSys.resolve("net/ipv4/ip_forward");
        String before = Files.readString(forwarding).strip();
        if (!before.equals("1")) {
            Files.createDirectories(forwardingNote.getParent());
            Files.writeString(forwardingNote, before + "\n");
            Files.writeString(forwarding, "1");
        }
    }

    /** /dev/net/tun as distributions ship it (0666): a VMM not root may attach to a tap that is its own. */
    private void openTun() throws IOException {
        Path tun = Path.of("/dev/net/tun");
        if (Files.exists(tun)) {
            Files.setPosixFilePermissions(tun, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        }
    }

    /** Rigdesk stops: job links (none should be left), the table and forwarding as they were. */
    @Override
    public synchronized void close() {
        open.values().forEach(Lease::close);
        lan.close();
        if (unavailable != null) {
            releaseNamespace();
            return;
        }
        try {
            removeLeftoverLinks();
            table.remove();
            docker.close();
            if (Files.exists(forwardingNote)) {
                Files.writeString(procSys.resolve("net/ipv4/ip_forward"), Files.readString(forwardingNote).strip());
                Files.delete(forwardingNote);
            }
        } catch (IOException e) {
            LOG.warning("cannot remove the job networks: " + e.getMessage());
        }
        releaseNamespace();
    }

    /** Another daemon may manage this namespace's job networks from now on. */
    private void releaseNamespace() {
        if (namespaceLock != null) {
            namespaceLock.close();
            namespaceLock = null;
        }
    }

    private String run(List<String> argv) throws IOException {
        return CommandRunner.run(argv, TIMEOUT);
    }

    /** One VM's network: its tap and addresses, its resolver, its counters; closing gives back the log. */
    public final class Lease implements AutoCloseable {

        private final long jobId;
        private final int index;
        private final String tap;
        private final String inner;
        private final int uid;
        private final String gateway;
        private final String address;
        private final EgressPolicy policy;
        private DnsForwarder dns;
        private boolean jobAdded;
        private boolean closed;

        private Lease(long jobId, int index, String tap, String inner, int uid, String gateway, String address,
                      EgressPolicy policy) {
            this.policy = policy;
            this.jobId = jobId;
            this.index = index;
            this.tap = tap;
            this.inner = inner;
            this.uid = uid;
            this.gateway = gateway;
            this.address = address;
        }

        private void create() throws IOException {
            docker.open(); // Docker may have started since
            if (inner == null) {
                run(tuntap(List.of(ip)));
            } else {
                run(List.of(ip, "link", "add", tap, "type", "veth", "peer", "name", inner));
            }
            // No IPv6 on the link: the host end would have a link-local address the VM could reach.
            Path ipv6 = procSys.resolve("net/ipv6/conf").resolve(tap).resolve("disable_ipv6");
            if (Files.exists(ipv6)) {
                Files.writeString(ipv6, "1");
            }
            // Strict reverse-path filtering: the link's packets come from its own /30 or are dropped
            // (the table's guests4 already pins them to the job's one address).
            Path rpFilter = procSys.resolve("net/ipv4/conf").resolve(tap).resolve("rp_filter");
            if (Files.exists(rpFilter)) {
                Files.writeString(rpFilter, "1");
            }
            run(List.of(ip, "address", "add", gateway + "/30", "dev", tap));
            run(List.of(ip, "link", "set", tap, "up"));
            table.addJob(jobId, tap, gateway, address, policy);
            jobAdded = true;
            dns = new DnsForwarder(new InetSocketAddress(InetAddress.getByName(gateway), 53),
                    InetAddress.getByName(address), upstreams, "job-" + jobId,
                    new DnsScreen(hiddenDomains, policy, lan::current), this::answered);
        }

        /** {@code ip tuntap add} of the tap, owned by the VMM's uid (-1: root's). */
        private List<String> tuntap(List<String> ip) {
            List<String> add = new ArrayList<>(ip);
            add.addAll(List.of("tuntap", "add", "dev", tap, "mode", "tap"));
            if (uid >= 0) {
                add.addAll(List.of("user", Integer.toString(uid), "group", Integer.toString(uid)));
            }
            return add;
        }

        /**
         * Into the namespace of the running VMM {@code pid}: the veth's inner end, and there the tap
         * (named as the host end) and a bridge joining them, all without addresses (no IPv6
         * link-local either). Refused when that process shares the daemon's namespace.
         */
        public void plugInto(long pid) throws IOException {
            Path namespace = Path.of("/proc", Long.toString(pid), "ns", "net");
            if (inner == null || Files.readSymbolicLink(namespace).equals(Files.readSymbolicLink(
                    Path.of("/proc/self/ns/net")))) {
                throw new IOException("the VMM of job " + jobId + " has no network namespace of its own: "
                        + "its network stays unplugged");
            }
            run(List.of(ip, "link", "set", inner, "netns", Long.toString(pid)));
            List<String> inside = List.of("nsenter", "--net=" + namespace, "--", ip);
            run(tuntap(inside));
            run(concat(inside, "link", "add", "bridge", "type", "bridge"));
            boolean ipv6 = Files.exists(procSys.resolve("net/ipv6"));
            for (String link : List.of("bridge", inner, tap)) {
                if (ipv6) {
                    run(concat(inside, "link", "set", link, "addrgenmode", "none"));
                }
                if (!link.equals("bridge")) {
                    run(concat(inside, "link", "set", link, "master", "bridge"));
                }
                run(concat(inside, "link", "set", link, "up"));
            }
        }

        private static List<String> concat(List<String> head, String... tail) {
            List<String> argv = new ArrayList<>(head);
            argv.addAll(List.of(tail));
            return argv;
        }

        /** An answer for a name the policy lists opens its addresses, before the guest has it. */
        private void answered(String name, List<String> addresses) {
            if (policy.mode() != EgressPolicy.Mode.OPEN && policy.permitsName(name)) {
                try {
                    table.permit(jobId, addresses.stream().filter(a -> a.indexOf(':') < 0).toList());
                } catch (IOException e) {
                    LOG.warning("cannot permit " + name + " for job " + jobId + ": " + e.getMessage());
                }
            }
        }

        public String tap() {
            return tap;
        }

        public String gateway() {
            return gateway;
        }

        /** Whether the tap is made in the VMM's namespace ({@link #plugInto}) rather than the host's. */
        public boolean inVmmNamespace() {
            return inner != null;
        }

        public String address() {
            return address;
        }

        /** What the guest agent reads from the config disk to set its link up (shell assignments). */
        public String guestConfig() {
            return "address=" + address + "/30\ngateway=" + gateway + "\ndns=" + gateway + "\n";
        }

        /** The guest's counters in the table: its flows, refusals and audit hits. */
        private record Counters(List<FirewallTable.Counted> flows, List<FirewallTable.Counted> refused,
                                List<FirewallTable.Counted> unlisted, List<FirewallTable.Counted> spoofed) {

            static final Counters NONE = new Counters(List.of(), List.of(), List.of(), List.of());
        }

        private Counters counters() throws IOException {
            return new Counters(table.counted("flows", jobId), table.counted("refused", jobId),
                    table.counted("unlisted", jobId), table.spoofed(tap));
        }

        /** The egress log so far: flows and refusals from the counters, names from the resolver. */
        JobNetwork log() {
            try {
                return log(counters());
            } catch (IOException e) {
                LOG.warning("cannot read the egress counters of job " + jobId + ": " + e.getMessage());
                return log(Counters.NONE);
            }
        }

        private JobNetwork log(Counters counters) {
            List<JobNetwork.Refusal> refused = new ArrayList<>(refusals(counters.refused()));
            counters.spoofed().forEach(c -> refused.add(new JobNetwork.Refusal(c.address(), 0, "any", null, c.packets(),
                    SPOOFED)));
            return new JobNetwork(true, policy.mode().wire(), address, gateway, flows(counters.flows()), refused,
                    refusals(counters.unlisted()), dns == null ? List.of() : dns.lookups());
        }

        private List<JobNetwork.Flow> flows(List<FirewallTable.Counted> counted) {
            return counted.stream().sorted(Comparator.comparingLong(FirewallTable.Counted::bytes).reversed())
                    .map(c -> new JobNetwork.Flow(c.address(), c.port(), c.protocol(), nameOf(c.address()),
                            c.packets(), c.bytes())).toList();
        }

        private List<JobNetwork.Refusal> refusals(List<FirewallTable.Counted> counted) {
            return counted.stream().sorted(Comparator.comparingLong(FirewallTable.Counted::packets).reversed())
                    .map(c -> new JobNetwork.Refusal(c.address(), c.port(), c.protocol(), nameOf(c.address()),
                            c.packets(), c.ruleLabel())).toList();
        }

        private String nameOf(String destination) {
            return dns == null ? null : dns.nameOf(destination);
        }

        /**
         * Takes down the link and the resolver; returns the final egress log. The counters read for
         * it are the ones cleared, so the next job on this address starts from nothing.
         */
        public JobNetwork finish() {
            JobNetwork log = log(Counters.NONE);
            try {
                Counters counters = counters();
                log = log(counters);
                table.forgetSpoofed(tap, counters.spoofed());
            } catch (IOException e) {
                LOG.warning("cannot read or clear the egress counters of job " + jobId + ": " + e.getMessage());
            }
            close(); // whatever the counters did: the job's chains and sets go, the next job starts bare
            return log;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            open.remove(jobId, this);
            if (dns != null) {
                dns.close();
                dns = null;
            }
            try {
                if (jobAdded) {
                    table.removeJob(jobId, tap, address);
                    jobAdded = false;
                }
            } catch (IOException e) {
                LOG.warning("cannot remove the rules of job " + jobId + " (" + tap + "): " + e.getMessage());
            }
            try {
                run(List.of(ip, "link", "delete", tap));
            } catch (IOException e) {
                LOG.fine(() -> tap + " was gone already: " + e.getMessage());
            }
            release(index);
        }
    }
}
