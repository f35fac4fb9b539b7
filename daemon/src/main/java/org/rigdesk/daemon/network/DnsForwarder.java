package org.rigdesk.daemon.network;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.rigdesk.api.wire.JobNetwork;

/**
 * The resolver a job VM is given: the host end of its own link, port 53. It answers its own job's
 * address only, and only standard queries ({@link DnsMessage#nonStandard}), at most {@link #RATE}
 * a second (a burst of {@link #BURST}); a name its {@link Screen} refuses (the host's own search
 * domains, a name off a registration's allow-list) gets REFUSED without going upstream, so DNS
 * does not tunnel out of an allow-list. Each question goes to the host's resolvers on a connected
 * socket, under an id of its own: only an answer from the server asked, with that id and that very
 * question, is taken. An answer that points a name at a private network or the host's LAN is
 * refused (DNS rebinding). Every query and refusal is in the egress log, bounded: the last
 * {@link #MAX_LOOKUPS} lookups, {@link #MAX_NAMES} addresses.
 */
final class DnsForwarder implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DnsForwarder.class.getName());
    static final int MAX_LOOKUPS = 1000;
    static final int MAX_NAMES = 10_000;
    /** Queries a second a job may ask, sustained, and in a burst (a build resolving its dependencies). */
    static final int RATE = 50;
    static final int BURST = 200;
    private static final int TIMEOUT_MS = 2000;
    private static final SecureRandom IDS = new SecureRandom();

    /** What a job may ask and be told. */
    interface Screen {
        /** Why the job may not ask {@code name}, or null. */
        String refusal(String name);

        /** Whether {@code address} is private or the host's LAN (an answer may not point there). */
        boolean inside(String address);
    }

    /** What an answer's addresses are handed to before the guest gets it (an allow-list opens them). */
    interface Answers {
        void answered(String name, List<String> addresses);
    }

    private final DatagramSocket socket;
    private final InetAddress guest;
    private final List<InetSocketAddress> upstreams;
    private final Screen screen;
    private final Answers answers;
    private final Deque<JobNetwork.Lookup> lookups = new ArrayDeque<>();
    private final Map<String, String> names = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_NAMES;
        }
    };
    private final Thread thread;
    private double tokens = BURST;
    private long refilledAt = System.nanoTime();
    private long limitedSince = -1;

    DnsForwarder(InetSocketAddress bind, InetAddress guest, List<InetSocketAddress> upstreams, String name,
                 Screen screen, Answers answers) throws IOException {
        this.guest = guest;
        this.screen = screen;
        this.answers = answers;
        this.socket = new DatagramSocket(bind);
        this.upstreams = List.copyOf(upstreams);
        this.thread = new Thread(this::serve, "dns-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket query = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(query);
            } catch (IOException e) {
                return; // closed with the job
            }
            if (!guest.equals(query.getAddress())) {
                continue; // not its own job's address: no answer, so it reflects nothing anywhere
            }
            Optional<DnsMessage.Question> question = DnsMessage.question(query.getData(), query.getLength());
            if (question.isEmpty()) {
                continue; // not a question: nothing to forward
            }
            byte[] asked = Arrays.copyOf(query.getData(), query.getLength());
            if (!take()) {
                limited(question.get());
                continue;
            }
            String refusal = DnsMessage.nonStandard(asked, asked.length, question.get());
            if (refusal == null) {
                refusal = screen.refusal(question.get().name());
            }
            if (refusal != null) {
                refuse(asked, question.get(), refusal, query.getSocketAddress());
                continue;
            }
            forward(asked, question.get(), query.getSocketAddress());
        }
    }

    /** A token of the job's rate, if one is left. */
    private boolean take() {
        long now = System.nanoTime();
        tokens = Math.min(BURST, tokens + (now - refilledAt) / 1e9 * RATE);
        refilledAt = now;
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }

    /** Over the rate: no answer; one line in the log a second says so. */
    private void limited(DnsMessage.Question question) {
        long now = System.nanoTime();
        if (limitedSince < 0 || now - limitedSince > 1_000_000_000L) {
            limitedSince = now;
            record(new JobNetwork.Lookup(question.name(), question.typeName(), List.of(),
                    "refused: more than " + RATE + " queries a second (not answered)"), List.of());
        }
    }

    private void refuse(byte[] asked, DnsMessage.Question question, String why, java.net.SocketAddress to) {
        record(new JobNetwork.Lookup(question.name(), question.typeName(), List.of(), "refused: " + why), List.of());
        byte[] refusal = DnsMessage.refusal(asked, question, DnsMessage.REFUSED);
        try {
            socket.send(new DatagramPacket(refusal, refusal.length, to));
        } catch (IOException e) {
            LOG.fine(() -> "DNS refusal not sent: " + e.getMessage());
        }
    }

    private void forward(byte[] asked, DnsMessage.Question question, java.net.SocketAddress to) {
        String error = upstreams.isEmpty() ? "no resolver on the host" : null;
        int guestId = DnsMessage.id(asked);
        for (InetSocketAddress upstream : upstreams) {
            int id = IDS.nextInt(1 << 16);
            try (DatagramSocket client = new DatagramSocket()) {
                // Connected: the kernel drops whatever does not come from the server asked.
                client.connect(upstream);
                client.send(new DatagramPacket(DnsMessage.withId(asked, asked.length, id), asked.length));
                Optional<byte[]> answer = await(client, id, question);
                if (answer.isEmpty()) {
                    error = "no answer from " + upstream.getAddress().getHostAddress();
                    continue;
                }
                byte[] reply = answer.get();
                List<String> addresses = DnsMessage.addresses(reply, reply.length);
                List<String> inside = addresses.stream().filter(screen::inside).toList();
                if (!inside.isEmpty()) {
                    refuse(asked, question, "the answer points into a private network or the LAN ("
                            + String.join(", ", inside) + ")", to);
                    return;
                }
                answers.answered(question.name(), addresses);
                record(new JobNetwork.Lookup(question.name(), question.typeName(), addresses, null), addresses);
                byte[] relayed = DnsMessage.withId(reply, reply.length, guestId);
                socket.send(new DatagramPacket(relayed, relayed.length, to));
                return;
            } catch (IOException e) {
                error = e.getMessage();
            }
        }
        String why = error;
        LOG.fine(() -> "DNS " + question.name() + ": unanswered (" + why + ")");
        record(new JobNetwork.Lookup(question.name(), question.typeName(), List.of(), error), List.of());
    }

    /** The upstream's answer with our id to our very question; others (forged, stale) are dropped. */
    private static Optional<byte[]> await(DatagramSocket client, int id, DnsMessage.Question question)
            throws IOException {
        long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
        byte[] buffer = new byte[4096];
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return Optional.empty();
            }
            client.setSoTimeout((int) left);
            DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
            try {
                client.receive(reply);
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            }
            if (reply.getLength() >= 12 && DnsMessage.id(buffer) == id
                    && DnsMessage.answers(buffer, reply.getLength(), question)) {
                return Optional.of(Arrays.copyOf(buffer, reply.getLength()));
            }
        }
    }

    private synchronized void record(JobNetwork.Lookup lookup, List<String> addresses) {
        if (lookups.size() >= MAX_LOOKUPS) {
            lookups.removeFirst();
        }
        lookups.addLast(lookup);
        addresses.forEach(address -> names.put(address, lookup.name()));
    }

    /** The port it answers on (53 but in tests). */
    int port() {
        return socket.getLocalPort();
    }

    synchronized List<JobNetwork.Lookup> lookups() {
        return List.copyOf(lookups);
    }

    /** The name whose answer gave {@code address} last, if any. */
    synchronized String nameOf(String address) {
        return names.get(address);
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(TIMEOUT_MS * 2L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
