package org.rigdesk.daemon.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Sends any request, well-formed or not, on a kept-alive unix-socket connection (opened again
 * when the server closes it) and returns the status and body: the fuzz test's client, and the
 * one client the API benchmark measures rigdeskd and nginx with. A watchdog in the caller may
 * {@link #reset} it if an answer never comes.
 */
public final class UnixHttpClient implements AutoCloseable {

    public record Answer(int status, String body) {
    }

    private final Path socket;
    private SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(1 << 16);
    /** The last bytes received, for a failure to show what the server said. */
    private final byte[] recent = new byte[4096];
    private long received;

    public UnixHttpClient(Path socket) {
        this.socket = socket;
    }

    public Answer send(String method, String target, String contentType, byte[] body) throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            in.clear().flip();
        }
        StringBuilder head = new StringBuilder().append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: rigdesk\r\n");
        if (body != null) {
            head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(body.length)
                    .append("\r\n");
        }
        head.append("\r\n");
        write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            write(body);
        }
        String status = readLine();
        if (!status.matches("HTTP/1\\.[01] \\d{3}( .*)?")) {
            throw new IllegalStateException("out of step with the server: '" + status + "' is no status line; "
                    + "the last bytes received:\n" + recentBytes());
        }
        int code = Integer.parseInt(status.substring(9, 12));
        int length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String line; !(line = readLine()).isEmpty(); ) {
            String lower = line.toLowerCase();
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        if (!"HEAD".equals(method)) {
            if (chunked) {
                for (int size; (size = Integer.parseInt(readLine().strip(), 16)) > 0; ) {
                    read(size, received);
                    readLine();
                }
                readLine();
            } else if (length > 0) {
                read(length, received);
            }
        }
        if (close) {
            channel.close();
        }
        return new Answer(code, received.toString(StandardCharsets.UTF_8));
    }

    private void write(byte[] bytes) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(bytes);
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            fill();
            char c = (char) (in.get() & 0xff);
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append(c);
        }
    }

    private void read(int bytes, ByteArrayOutputStream into) throws IOException {
        for (int left = bytes; left > 0; ) {
            fill();
            int n = Math.min(left, in.remaining());
            into.write(in.array(), in.position(), n);
            in.position(in.position() + n);
            left -= n;
        }
    }

    private void fill() throws IOException {
        if (in.hasRemaining()) {
            return;
        }
        in.clear();
        int n = channel.read(in);
        if (n < 0) {
            throw new IOException("closed by the server");
        }
        remember(in.array(), n);
        in.flip();
    }

    private void remember(byte[] bytes, int n) {
        int from = Math.max(0, n - recent.length);
        for (int i = from; i < n; ) {
            int at = (int) (received % recent.length);
            int chunk = Math.min(n - i, recent.length - at);
            System.arraycopy(bytes, i, recent, at, chunk);
            received += chunk;
            i += chunk;
        }
    }

    /** The last bytes received on any connection of this client, oldest first. */
    public String recentBytes() {
        int size = (int) Math.min(received, recent.length);
        byte[] ordered = new byte[size];
        for (int i = 0; i < size; i++) {
            ordered[i] = recent[(int) ((received - size + i) % recent.length)];
        }
        return new String(ordered, StandardCharsets.ISO_8859_1);
    }

    /** Drops the connection (the watchdog, or after a broken exchange). */
    public void reset() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        reset();
    }
}
