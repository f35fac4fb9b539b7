package org.rigdesk.daemon.network;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.rigdesk.api.wire.JobNetwork;

/**
 * The resolver a job VM is given: the host end of its own link, port 53. It forwards each
 * question to the host's resolvers (the guest never talks to them, nor to a loopback resolver, as
 * such) and relays the answer, keeping what the egress log needs: the names asked, and which name
 * led to which address. Bounded: the last {@link #MAX_LOOKUPS} lookups, {@link #MAX_NAMES} addresses.
 */
final class DnsForwarder implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DnsForwarder.class.getName());
    static final int MAX_LOOKUPS = 1000;
    static final int MAX_NAMES = 10_000;
    private static final int TIMEOUT_MS = 2000;

    private final DatagramSocket socket;
    private final List<InetSocketAddress> upstreams;
    private final Deque<JobNetwork.Lookup> lookups = new ArrayDeque<>();
    private final Map<String, String> names = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_NAMES;
        }
    };
    private final Thread thread;

    /** What an answer's addresses are handed to before the guest gets it (an allow-list opens them). */
    interface Answers {
        void answered(String name, List<String> addresses);
    }

    private final Answers answers;

    DnsForwarder(InetAddress bind, List<InetSocketAddress> upstreams, String name, Answers answers) throws IOException {
        this.answers = answers;
        this.socket = new DatagramSocket(new InetSocketAddress(bind, 53));
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
            Optional<DnsMessage.Question> question = DnsMessage.question(query.getData(), query.getLength());
            if (question.isEmpty()) {
                continue; // not a question: nothing to forward
            }
            byte[] asked = java.util.Arrays.copyOf(query.getData(), query.getLength());
            forward(asked, question.get(), query.getSocketAddress());
        }
    }

    private void forward(byte[] asked, DnsMessage.Question question, java.net.SocketAddress guest) {
        String error = upstreams.isEmpty() ? "no resolver on the host" : null;
        for (InetSocketAddress upstream : upstreams) {
            try (DatagramSocket client = new DatagramSocket()) {
                client.setSoTimeout(TIMEOUT_MS);
                client.send(new DatagramPacket(asked, asked.length, upstream));
                byte[] answer = new byte[4096];
                DatagramPacket reply = new DatagramPacket(answer, answer.length);
                client.receive(reply);
                List<String> addresses = DnsMessage.addresses(answer, reply.getLength());
                answers.answered(question.name(), addresses);
                record(new JobNetwork.Lookup(question.name(), question.typeName(), addresses, null), addresses);
                socket.send(new DatagramPacket(answer, reply.getLength(), guest));
                return;
            } catch (SocketTimeoutException e) {
                error = "no answer from " + upstream.getAddress().getHostAddress();
            } catch (IOException e) {
                error = e.getMessage();
            }
        }
        LOG.fine(() -> "DNS " + question.name() + ": unanswered");
        record(new JobNetwork.Lookup(question.name(), question.typeName(), List.of(), error), List.of());
    }

    private synchronized void record(JobNetwork.Lookup lookup, List<String> addresses) {
        if (lookups.size() >= MAX_LOOKUPS) {
            lookups.removeFirst();
        }
        lookups.addLast(lookup);
        addresses.forEach(address -> names.put(address, lookup.name()));
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
