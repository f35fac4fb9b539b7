package org.rigdesk.daemon.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** Bytes straight onto the socket: for malformed requests and reading raw SSE frames. */
public final class RawHttp implements AutoCloseable {

    private final SocketChannel channel;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    public RawHttp(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        channel.configureBlocking(false);
    }

    public RawHttp send(String text) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        return this;
    }

    /** Reads until {@code marker} has arrived or the timeout passes; returns all read so far. */
    public String readUntil(String marker, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (Instant.now().isBefore(deadline)) {
            buffer.clear();
            int n = channel.read(buffer);
            if (n > 0) {
                received.write(buffer.array(), 0, n);
                if (text().contains(marker)) {
                    break;
                }
            } else if (n < 0) {
                break;
            } else {
                Thread.sleep(10);
            }
        }
        return text();
    }

    public String text() {
        return received.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
