package org.rigdesk.daemon.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.JobNetwork;

/**
 * A job's resolver as a job would attack it, on loopback: a guest at 127.0.0.1, a stand-in upstream
 * (answering names as it is told, and forging as it is told), and queries built byte by byte.
 */
class DnsForwarderTest {

    private static final InetAddress GUEST = InetAddress.getLoopbackAddress();

    private Upstream upstream;
    private DnsForwarder forwarder;

    /** The host's resolver: answers A for the names it knows; with {@code forge}, first a forged answer. */
    private static final class Upstream implements AutoCloseable {
        final DatagramSocket socket = new DatagramSocket(new InetSocketAddress(GUEST, 0));
        final Map<String, String> names = Map.of("public.test", "203.0.113.2", "intranet.test", "192.168.1.10");
        final AtomicInteger asked = new AtomicInteger();
        volatile boolean forge;
        final Thread thread = new Thread(this::serve, "test-upstream");

        Upstream() throws Exception {
            thread.setDaemon(true);
            thread.start();
        }

        void serve() {
            byte[] buffer = new byte[4096];
            while (!socket.isClosed()) {
                DatagramPacket query = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(query);
                    asked.incrementAndGet();
                    byte[] asked = java.util.Arrays.copyOf(buffer, query.getLength());
                    DnsMessage.Question question = DnsMessage.question(asked, asked.length).orElseThrow();
                    String address = names.get(question.name());
                    if (forge) {
                        // From another port (the kernel drops it: the forwarder's socket is connected),
                        // and from this one with another id: neither may be taken.
                        try (DatagramSocket forger = new DatagramSocket(new InetSocketAddress(GUEST, 0))) {
                            byte[] evil = answer(asked, question, "198.18.0.66");
                            forger.send(new DatagramPacket(evil, evil.length, query.getSocketAddress()));
                        }
                        byte[] wrongId = DnsMessage.withId(answer(asked, question, "198.18.0.67"), asked.length + 16,
                                DnsMessage.id(asked) ^ 1);
                        socket.send(new DatagramPacket(wrongId, wrongId.length, query.getSocketAddress()));
                        Thread.sleep(100);
                    }
                    byte[] reply = answer(asked, question, address);
                    socket.send(new DatagramPacket(reply, reply.length, query.getSocketAddress()));
                } catch (Exception e) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** An answer to {@code query}: one A record of {@code address}, or NXDOMAIN without one. */
    static byte[] answer(byte[] query, DnsMessage.Question question, String address) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(query, 0, 2);
        out.write(new byte[] {(byte) 0x81, (byte) (address == null ? 0x83 : 0x80), 0, 1, 0, (byte) (address == null ? 0 : 1),
                0, 0, 0, 0});
        out.write(query, 12, question.end() - 12);
        if (address != null) {
            out.write(new byte[] {(byte) 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4});
            out.write(InetAddress.getByName(address).getAddress());
        }
        return out.toByteArray();
    }

    /** A query for {@code name}: {@code opcode}, {@code questions} copies of the question, type {@code type}. */
    static byte[] query(int id, String name, int type, int opcode, int questions) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) (id >> 8), (byte) id, (byte) (opcode << 3 | 1), 0, 0, (byte) questions, 0, 0,
                0, 0, 0, 0});
        for (int i = 0; i < questions; i++) {
            for (String label : name.split("\\.")) {
                out.write(label.length());
                out.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            out.writeBytes(new byte[] {0, (byte) (type >> 8), (byte) type, 0, 1});
        }
        return out.toByteArray();
    }

    @BeforeEach
    void start() throws Exception {
        upstream = new Upstream();
        forwarder = forwarder(EgressPolicy.OPEN, List.of("corp.example"));
    }

    private DnsForwarder forwarder(EgressPolicy policy, List<String> hidden) throws Exception {
        return new DnsForwarder(new InetSocketAddress(GUEST, 0), GUEST,
                List.of((InetSocketAddress) upstream.socket.getLocalSocketAddress()), "test",
                new DnsScreen(hidden, policy, () -> List.of(Ipv4.Block.parse("198.51.100.0/24").orElseThrow())),
                (name, addresses) -> { });
    }

    @AfterEach
    void stop() {
        forwarder.close();
        upstream.close();
    }

    /** What the forwarder answers {@code query} sent from {@code from}; null when it does not within a second. */
    private byte[] ask(DnsForwarder to, byte[] query, InetAddress from) throws Exception {
        try (DatagramSocket guest = new DatagramSocket(new InetSocketAddress(from, 0))) {
            guest.setSoTimeout(1000);
            guest.send(new DatagramPacket(query, query.length, GUEST, to.port()));
            byte[] buffer = new byte[4096];
            DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
            guest.receive(reply);
            return java.util.Arrays.copyOf(buffer, reply.getLength());
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    private static int rcode(byte[] answer) {
        return answer[3] & 0x0F;
    }

    private JobNetwork.Lookup last() {
        List<JobNetwork.Lookup> lookups = forwarder.lookups();
        return lookups.get(lookups.size() - 1);
    }

    @Test
    void aStandardQueryIsAnsweredWithTheGuestsOwnId() throws Exception {
        byte[] answer = ask(forwarder, query(0x1234, "public.test", 1, 0, 1), GUEST);
        assertEquals(0x1234, DnsMessage.id(answer));
        assertEquals(List.of("203.0.113.2"), DnsMessage.addresses(answer, answer.length));
        assertEquals(new JobNetwork.Lookup("public.test", "A", List.of("203.0.113.2"), null), last());
    }

    @Test
    void onlyStandardQueriesAreForwarded() throws Exception {
        Map<byte[], String> refused = Map.of(
                query(1, "public.test", 1, 2, 1), "opcode 2",
                query(2, "public.test", 255, 0, 1), "type ANY",
                query(3, "public.test", 252, 0, 1), "type 252",
                query(4, "public.test", 1, 0, 2), "not one plain question");
        for (Map.Entry<byte[], String> entry : refused.entrySet()) {
            byte[] answer = ask(forwarder, entry.getKey(), GUEST);
            assertEquals(DnsMessage.REFUSED, rcode(answer), entry.getValue());
            assertEquals(DnsMessage.id(entry.getKey()), DnsMessage.id(answer));
            assertTrue(last().error().contains(entry.getValue()), last().toString());
        }
        assertEquals(0, upstream.asked.get(), "nothing went upstream");
    }

    @Test
    void aPublicNameAnsweredWithAPrivateOrLanAddressIsRefused() throws Exception {
        byte[] answer = ask(forwarder, query(7, "intranet.test", 1, 0, 1), GUEST);
        assertEquals(DnsMessage.REFUSED, rcode(answer));
        assertEquals(List.of(), DnsMessage.addresses(answer, answer.length));
        assertTrue(last().error().contains("private network or the LAN (192.168.1.10)"), last().toString());
        DnsScreen screen = new DnsScreen(List.of(), EgressPolicy.OPEN,
                () -> List.of(Ipv4.Block.parse("198.51.100.0/24").orElseThrow()));
        assertTrue(screen.inside("198.51.100.7") && screen.inside("fd00::1") && screen.inside("fe80::1")
                && screen.inside("::1") && !screen.inside("203.0.113.2") && !screen.inside("2001:db8::1"));
    }

    @Test
    void forgedUpstreamAnswersAreNotTaken() throws Exception {
        upstream.forge = true;
        byte[] answer = ask(forwarder, query(9, "public.test", 1, 0, 1), GUEST);
        assertEquals(List.of("203.0.113.2"), DnsMessage.addresses(answer, answer.length));
    }

    @Test
    void aQueryFromAnotherAddressGetsNoAnswer() throws Exception {
        assertEquals(null, ask(forwarder, query(11, "public.test", 1, 0, 1), InetAddress.getByName("127.0.0.2")));
        assertEquals(0, upstream.asked.get());
    }

    @Test
    void theHostsSearchDomainsAndNamesOffAnAllowListAreNotAskedUpstream() throws Exception {
        byte[] intranet = ask(forwarder, query(13, "printer.corp.example", 1, 0, 1), GUEST);
        assertEquals(DnsMessage.REFUSED, rcode(intranet));
        assertTrue(last().error().contains("search domain corp.example"), last().toString());
        try (DnsForwarder listed = forwarder(EgressPolicy.parse("allow-list", List.of("public.test")), List.of())) {
            assertEquals(DnsMessage.REFUSED, rcode(ask(listed, query(14, "tunnel.evil.test", 16, 0, 1), GUEST)));
            assertEquals(List.of("203.0.113.2"), DnsMessage.addresses(ask(listed, query(15, "public.test", 1, 0, 1),
                    GUEST), 64));
        }
        assertEquals(1, upstream.asked.get(), "only the listed name went upstream");
    }

    @Test
    void aFloodIsCutToTheRateAndSaysSo() throws Exception {
        int answered = 0;
        try (DatagramSocket guest = new DatagramSocket(new InetSocketAddress(GUEST, 0))) {
            guest.setSoTimeout(300);
            for (int i = 0; i < 2 * DnsForwarder.BURST; i++) {
                byte[] query = query(i, "public.test", 1, 0, 1);
                guest.send(new DatagramPacket(query, query.length, GUEST, forwarder.port()));
            }
            byte[] buffer = new byte[512];
            try {
                while (true) {
                    guest.receive(new DatagramPacket(buffer, buffer.length));
                    answered++;
                }
            } catch (SocketTimeoutException e) {
                // all that came
            }
        }
        assertTrue(answered >= DnsForwarder.BURST / 2 && answered < DnsForwarder.BURST + 2 * DnsForwarder.RATE,
                "answered " + answered);
        assertTrue(forwarder.lookups().stream().anyMatch(l -> l.error() != null
                && l.error().contains("more than " + DnsForwarder.RATE + " queries a second")));
    }
}
