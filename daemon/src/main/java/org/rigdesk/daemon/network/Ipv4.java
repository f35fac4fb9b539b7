package org.rigdesk.daemon.network;

import java.util.Optional;

/** IPv4 addresses and blocks as numbers, for the job subnet and the owner's exceptions. */
final class Ipv4 {

    private Ipv4() {
    }

    /** A dotted quad, strictly (four numbers 0-255, no leading zeros), or empty. */
    static Optional<Integer> parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        int value = 0;
        for (String part : parts) {
            if (!part.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(part) > 255) {
                return Optional.empty();
            }
            value = value << 8 | Integer.parseInt(part);
        }
        return Optional.of(value);
    }

    static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 255) + "." + (address >>> 8 & 255) + "." + (address & 255);
    }

    /** An address block: its first address and prefix length. */
    record Block(int base, int prefix) {

        /** "a.b.c.d/n" with no bits set past the prefix, or a bare address (/32); empty when not one. */
        static Optional<Block> parse(String text) {
            String[] parts = text.split("/", -1);
            if (parts.length > 2 || parts.length == 2 && !parts[1].matches("[0-9]{1,2}")) {
                return Optional.empty();
            }
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : 32;
            Optional<Integer> base = Ipv4.parse(parts[0]);
            if (base.isEmpty() || prefix > 32 || (base.get() & ~mask(prefix)) != 0) {
                return Optional.empty();
            }
            return Optional.of(new Block(base.get(), prefix));
        }

        /** Whether {@code address} lies in this block. */
        boolean contains(int address) {
            return (address & mask(prefix)) == base;
        }

        /** Whether all of {@code inner} lies in this block. */
        boolean contains(Block inner) {
            return inner.prefix >= prefix && contains(inner.base);
        }

        static int mask(int prefix) {
            return prefix == 0 ? 0 : -1 << (32 - prefix);
        }

        long size() {
            return 1L << (32 - prefix);
        }

        @Override
        public String toString() {
            return Ipv4.format(base) + "/" + prefix;
        }
    }
}
