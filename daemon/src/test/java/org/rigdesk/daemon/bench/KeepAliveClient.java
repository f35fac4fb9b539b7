package org.rigdesk.daemon.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The one HTTP/1.1 client both servers are measured with: a blocking unix-socket connection kept
 * alive, a GET, and a response read by its Content-Length or chunks. Small so that it adds the
 * same little to every figure.
 */
final class KeepAliveClient implements AutoCloseable {

    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(1 << 16);
    private final byte[] request;

    KeepAliveClient(Path socket, String path) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        request = ("GET " + path + " HTTP/1.1\r\nHost: rigdesk\r\nAccept: application/json\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        in.flip();
    }

    /** One request; returns the body's length (the status must be 200). */
    int get() throws IOException {
        ByteBuffer out = ByteBuffer.wrap(request);
        while (out.hasRemaining()) {
            channel.write(out);
        }
        String head = readHead();
        if (!head.startsWith("HTTP/1.1 200")) {
            throw new IOException("not 200: " + head.lines().findFirst().orElse(""));
        }
        int length = header(head, "content-length");
        if (length >= 0) {
            skip(length);
            return length;
        }
        int total = 0;
        while (true) { // chunked
            int size = Integer.parseInt(readLine().strip(), 16);
            if (size == 0) {
                readLine();
                return total;
            }
            skip(size);
            readLine();
            total += size;
        }
    }

    private String readHead() throws IOException {
        StringBuilder head = new StringBuilder();
        for (String line; !(line = readLine()).isEmpty(); ) {
            head.append(line).append('\n');
        }
        return head.toString();
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            fill();
            byte b = in.get();
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
    }

    private void skip(int bytes) throws IOException {
        int left = bytes;
        while (left > 0) {
            fill();
            int n = Math.min(left, in.remaining());
            in.position(in.position() + n);
            left -= n;
        }
    }

    private void fill() throws IOException {
        if (in.hasRemaining()) {
            return;
        }
        in.clear();
        if (channel.read(in) < 0) {
            throw new IOException("the server closed the connection");
        }
        in.flip();
    }

    private static int header(String head, String name) {
        for (String line : head.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                return Integer.parseInt(line.substring(colon + 1).strip());
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
