package org.rigdesk.daemon.network;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.rigdesk.daemon.problems.DomainException;

/**
 * One of the owner's exceptions to a job VM's isolation ({@code networkAllow} in the settings):
 * {@code HOST:PORT} or {@code CIDR:PORT} (an address is a /32), TCP and UDP. A host name is looked
 * up by the daemon when the rules are made, never by the guest.
 */
public record NetworkException(String host, Ipv4.Block block, int port) {

    public static final int MAX = 64;

    /** Parses {@code entry}; DomainException (400) saying what is wrong with it. */
    public static NetworkException parse(String entry) {
        if (entry == null || entry.isBlank()) {
            throw DomainException.invalid("networkAllow entries must be HOST:PORT or CIDR:PORT, got an empty one");
        }
        int colon = entry.lastIndexOf(':');
        String where = colon < 0 ? entry : entry.substring(0, colon);
        String port = colon < 0 ? "" : entry.substring(colon + 1);
        if (!port.matches("[1-9][0-9]{0,4}") || Integer.parseInt(port) > 65535) {
            throw DomainException.invalid("networkAllow entry '" + entry + "' needs a port 1-65535 after the last ':' "
                    + "(HOST:PORT or CIDR:PORT, e.g. 192.168.1.20:3142 or 10.0.0.0/24:443)");
        }
        Optional<Ipv4.Block> block = Ipv4.Block.parse(where);
        if (block.isPresent()) {
            return new NetworkException(null, block.get(), Integer.parseInt(port));
        }
        if (where.contains("/") || where.matches("[0-9.]+")) {
            throw DomainException.invalid("networkAllow entry '" + entry + "': '" + where + "' is not an IPv4 address or "
                    + "block (no bits past the prefix, e.g. 192.168.1.0/24)");
        }
        if (!where.matches("(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}"
                + "[A-Za-z0-9])?")) {
            throw DomainException.invalid("networkAllow entry '" + entry + "': '" + where + "' is not a host name");
        }
        return new NetworkException(where.toLowerCase(java.util.Locale.ROOT), null, Integer.parseInt(port));
    }

    /** The entries as they will be kept (each checked, duplicates refused); DomainException when one is bad. */
    public static List<String> validate(List<String> entries) {
        if (entries.size() > MAX) {
            throw DomainException.invalid("networkAllow takes at most " + MAX + " entries, got " + entries.size());
        }
        List<String> kept = new ArrayList<>();
        for (String entry : entries) {
            String normal = parse(entry).toString();
            if (kept.contains(normal)) {
                throw DomainException.invalid("networkAllow lists '" + entry + "' twice");
            }
            kept.add(normal);
        }
        return List.copyOf(kept);
    }

    /** The blocks this exception opens: its own, or the host's IPv4 addresses now (none when it does not resolve). */
    List<Ipv4.Block> blocks() {
        if (block != null) {
            return List.of(block);
        }
        try {
            List<Ipv4.Block> blocks = new ArrayList<>();
            for (InetAddress address : new HashSet<>(List.of(InetAddress.getAllByName(host)))) {
                if (address instanceof Inet4Address) {
                    blocks.add(Ipv4.Block.parse(address.getHostAddress()).orElseThrow());
                }
            }
            return blocks;
        } catch (UnknownHostException e) {
            return List.of();
        }
    }

    @Override
    public String toString() {
        return (host != null ? host : block.prefix() == 32 ? Ipv4.format(block.base()) : block.toString()) + ":" + port;
    }
}
