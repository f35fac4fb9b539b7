package org.rigdesk.daemon.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a runner registration's VMs may reach beyond the isolation every job VM has: anything public
 * ({@code open}, the default), only the listed names and blocks ({@code allow-list}), or anything
 * public while what the list would refuse is logged ({@code audit}, to build the list). An entry is
 * an IPv4 block ({@code 140.82.112.0/20}, an address is a /32), a host name ({@code github.com}: that
 * name only) or a wildcard ({@code *.githubusercontent.com}: names under it). A name's addresses are
 * permitted when the job's own resolver answers for it.
 */
public record EgressPolicy(Mode mode, List<String> names, List<String> blocks) {

    public static final int MAX_ENTRIES = 256;
    public static final EgressPolicy OPEN = new EgressPolicy(Mode.OPEN, List.of(), List.of());

    public enum Mode {
        OPEN("open"), ALLOW_LIST("allow-list"), AUDIT("audit");

        private final String wire;

        Mode(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    public EgressPolicy {
        names = List.copyOf(names);
        blocks = List.copyOf(blocks);
    }

    /** Reads a registration's {@code egress} and {@code egressAllow}; IllegalArgumentException naming what is wrong. */
    public static EgressPolicy parse(String mode, List<String> allow) {
        Mode parsed = mode == null ? Mode.OPEN : switch (mode) {
            case "open" -> Mode.OPEN;
            case "allow-list" -> Mode.ALLOW_LIST;
            case "audit" -> Mode.AUDIT;
            default -> throw new IllegalArgumentException("egress must be open, allow-list or audit, got '" + mode + "'");
        };
        List<String> entries = allow == null ? List.of() : allow;
        if (entries.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("egressAllow takes at most " + MAX_ENTRIES + " entries");
        }
        if (parsed == Mode.OPEN && !entries.isEmpty()) {
            throw new IllegalArgumentException("egressAllow needs egress allow-list or audit (open allows all)");
        }
        List<String> names = new ArrayList<>();
        List<String> blocks = new ArrayList<>();
        for (String entry : entries) {
            String text = entry == null ? "" : entry.strip().toLowerCase(Locale.ROOT);
            if (Ipv4.Block.parse(text).isPresent()) {
                blocks.add(Ipv4.Block.parse(text).get().toString());
            } else if (text.matches("(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,62}")
                    && text.length() <= 253) {
                names.add(text);
            } else {
                throw new IllegalArgumentException("egressAllow entries are host names (github.com), wildcards "
                        + "(*.githubusercontent.com) or IPv4 blocks (140.82.112.0/20), got '" + entry + "'");
            }
        }
        return new EgressPolicy(parsed, names, blocks);
    }

    /** The entries as a registration shows them. */
    public List<String> entries() {
        List<String> all = new ArrayList<>(names);
        all.addAll(blocks);
        return all;
    }

    /** Whether an answer for {@code name} opens its addresses. */
    boolean permitsName(String name) {
        String asked = name.toLowerCase(Locale.ROOT);
        for (String allowed : names) {
            if (allowed.startsWith("*.") ? asked.endsWith(allowed.substring(1)) : asked.equals(allowed)) {
                return true;
            }
        }
        return false;
    }
}
