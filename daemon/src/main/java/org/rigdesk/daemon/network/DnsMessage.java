package org.rigdesk.daemon.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the egress log needs of a DNS message (RFC 1035): the question, and the A and AAAA
 * addresses of an answer. Every length and pointer is checked: both the guest's queries and the
 * upstream's answers are read as untrusted bytes.
 */
final class DnsMessage {

    static final int A = 1;
    static final int AAAA = 28;
    static final int REFUSED = 5;
    private static final int HEADER = 12;
    private static final int CLASS_IN = 1;
    /**
     * The types a job may ask: addresses and what leads to them (A, NS, CNAME, SOA, PTR, MX, TXT,
     * AAAA, SRV, SVCB, HTTPS, CAA); not ANY, AXFR/IXFR, NULL and the like.
     */
    static final java.util.Set<Integer> STANDARD_TYPES = java.util.Set.of(1, 2, 5, 6, 12, 15, 16, 28, 33, 64, 65, 257);

    private DnsMessage() {
    }

    /** {@code end}: where the question section ends (the header and question are echoed in a refusal). */
    record Question(String name, int type, int qclass, int end) {

        String typeName() {
            return switch (type) {
                case A -> "A";
                case AAAA -> "AAAA";
                case 2 -> "NS";
                case 5 -> "CNAME";
                case 6 -> "SOA";
                case 12 -> "PTR";
                case 15 -> "MX";
                case 16 -> "TXT";
                case 33 -> "SRV";
                case 64 -> "SVCB";
                case 65 -> "HTTPS";
                case 255 -> "ANY";
                case 257 -> "CAA";
                default -> Integer.toString(type);
            };
        }
    }

    /** The first question of a message, or empty when there is none or it does not parse. */
    static Optional<Question> question(byte[] message, int length) {
        if (length < HEADER || u16(message, 4) < 1) {
            return Optional.empty();
        }
        int[] next = new int[1];
        Optional<String> name = name(message, length, HEADER, next);
        if (name.isEmpty() || next[0] + 4 > length) {
            return Optional.empty();
        }
        return Optional.of(new Question(name.get(), u16(message, next[0]), u16(message, next[0] + 2), next[0] + 4));
    }

    /**
     * Why a guest's message is not a standard query Rigdesk forwards, or null when it is one: a
     * query (not a response), opcode QUERY, exactly one question of class IN and a type of
     * {@link #STANDARD_TYPES}, no answer or authority records, at most one additional (EDNS).
     */
    static String nonStandard(byte[] message, int length, Question question) {
        int flags = u16(message, 2);
        int opcode = flags >> 11 & 0xF;
        if ((flags & 0x8000) != 0) {
            return "not a query";
        }
        if (opcode != 0) {
            return "opcode " + opcode + " (only standard queries)";
        }
        if (u16(message, 4) != 1 || u16(message, 6) != 0 || u16(message, 8) != 0 || u16(message, 10) > 1) {
            return "not one plain question";
        }
        if (question.qclass() != CLASS_IN) {
            return "class " + question.qclass();
        }
        if (!STANDARD_TYPES.contains(question.type())) {
            return "type " + question.typeName();
        }
        return null;
    }

    /** A refusal of {@code query} (its id and question, rcode {@code rcode}, nothing else). */
    static byte[] refusal(byte[] query, Question question, int rcode) {
        byte[] answer = java.util.Arrays.copyOf(query, question.end());
        answer[2] = (byte) (0x80 | query[2] & 0x01); // a response, opcode QUERY, RD as asked
        answer[3] = (byte) (0x80 | rcode & 0x0F); // RA, the rcode
        answer[4] = 0;
        answer[5] = 1;
        for (int i = 6; i < HEADER; i++) {
            answer[i] = 0;
        }
        return answer;
    }

    static int id(byte[] message) {
        return u16(message, 0);
    }

    /** {@code message}'s first {@code length} bytes with its id replaced. */
    static byte[] withId(byte[] message, int length, int id) {
        byte[] copy = java.util.Arrays.copyOf(message, length);
        copy[0] = (byte) (id >> 8);
        copy[1] = (byte) id;
        return copy;
    }

    /** Whether {@code answer} is a response to exactly {@code question} (name, case aside; type; class). */
    static boolean answers(byte[] answer, int length, Question question) {
        if (length < HEADER || (u16(answer, 2) & 0x8000) == 0 || u16(answer, 4) != 1) {
            return false;
        }
        Optional<Question> asked = question(answer, length);
        return asked.isPresent() && asked.get().name().equalsIgnoreCase(question.name())
                && asked.get().type() == question.type() && asked.get().qclass() == question.qclass();
    }

    /** The A and AAAA addresses in an answer's answer section (none when it does not parse). */
    static List<String> addresses(byte[] message, int length) {
        List<String> addresses = new ArrayList<>();
        if (length < HEADER) {
            return addresses;
        }
        int questions = u16(message, 4);
        int answers = u16(message, 6);
        int[] next = {HEADER};
        for (int i = 0; i < questions; i++) {
            if (name(message, length, next[0], next).isEmpty() || next[0] + 4 > length) {
                return addresses;
            }
            next[0] += 4;
        }
        for (int i = 0; i < answers && i < 256; i++) {
            if (name(message, length, next[0], next).isEmpty() || next[0] + 10 > length) {
                return addresses;
            }
            int type = u16(message, next[0]);
            int dataLength = u16(message, next[0] + 8);
            int data = next[0] + 10;
            if (data + dataLength > length) {
                return addresses;
            }
            if (type == A && dataLength == 4 || type == AAAA && dataLength == 16) {
                try {
                    byte[] raw = java.util.Arrays.copyOfRange(message, data, data + dataLength);
                    addresses.add(InetAddress.getByAddress(raw).getHostAddress());
                } catch (UnknownHostException e) {
                    // a 4- or 16-byte address always converts
                }
            }
            next[0] = data + dataLength;
        }
        return addresses;
    }

    /** A name at {@code offset}, following compression pointers (a bounded number of them); next[0] is where it ends. */
    private static Optional<String> name(byte[] message, int length, int offset, int[] next) {
        StringBuilder name = new StringBuilder();
        int at = offset;
        int end = -1;
        for (int jumps = 0; jumps < 64; ) {
            if (at >= length) {
                return Optional.empty();
            }
            int label = message[at] & 0xFF;
            if (label == 0) {
                next[0] = end >= 0 ? end : at + 1;
                return Optional.of(name.length() == 0 ? "." : name.substring(0, name.length() - 1));
            }
            if ((label & 0xC0) == 0xC0) {
                if (at + 1 >= length) {
                    return Optional.empty();
                }
                if (end < 0) {
                    end = at + 2;
                }
                at = (label & 0x3F) << 8 | message[at + 1] & 0xFF;
                jumps++;
                continue;
            }
            if ((label & 0xC0) != 0 || at + 1 + label > length || name.length() + label > 253) {
                return Optional.empty();
            }
            for (int i = at + 1; i <= at + label; i++) {
                char c = (char) (message[i] & 0xFF);
                // Names are shown in the window and the CLI: anything but a hostname's characters is escaped.
                name.append(c > 32 && c < 127 && c != '\\' ? c : String.format("\\%03d", (int) c));
            }
            name.append('.');
            at += 1 + label;
        }
        return Optional.empty();
    }

    private static int u16(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
    }
}
