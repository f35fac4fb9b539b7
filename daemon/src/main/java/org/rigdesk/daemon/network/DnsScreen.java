package org.rigdesk.daemon.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What one job may ask its resolver and be told: not names of the host's own search domains (its
 * intranet's split-horizon names) unless the owner allows them, nothing off its registration's
 * allow-list, and no answer that points into a private network or the host's LAN.
 */
final class DnsScreen implements DnsForwarder.Screen {

    private static final List<Ipv4.Block> PRIVATE = FirewallTable.PRIVATE.stream()
            .map(block -> Ipv4.Block.parse(block).orElseThrow()).toList();

    private final List<String> hiddenDomains;
    private final EgressPolicy policy;
    private final Supplier<List<Ipv4.Block>> lan;

    DnsScreen(List<String> hiddenDomains, EgressPolicy policy, Supplier<List<Ipv4.Block>> lan) {
        this.hiddenDomains = hiddenDomains.stream().map(DnsScreen::plain).filter(d -> !d.isEmpty()).toList();
        this.policy = policy;
        this.lan = lan;
    }

    private static String plain(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    @Override
    public String refusal(String name) {
        String asked = plain(name);
        for (String domain : hiddenDomains) {
            if (asked.equals(domain) || asked.endsWith("." + domain)) {
                return "a name of the host's own search domain " + domain;
            }
        }
        if (policy.mode() == EgressPolicy.Mode.ALLOW_LIST && !policy.permitsName(asked)) {
            return "not on the registration's allow-list";
        }
        return null;
    }

    @Override
    public boolean inside(String address) {
        if (address.indexOf(':') >= 0) {
            try {
                InetAddress v6 = InetAddress.getByName(address);
                return v6.isLoopbackAddress() || v6.isLinkLocalAddress() || v6.isSiteLocalAddress()
                        || v6.isAnyLocalAddress() || (v6.getAddress()[0] & 0xFE) == 0xFC;
            } catch (UnknownHostException e) {
                return true; // not an address: not let through
            }
        }
        return Ipv4.parse(address).map(v4 -> within(v4, PRIVATE) || within(v4, lan.get())).orElse(true);
    }

    private static boolean within(int address, List<Ipv4.Block> blocks) {
        return blocks.stream().anyMatch(block -> block.contains(address));
    }
}
