package org.rigdesk.api.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Copying a streamed answer as it arrives. */
final class Streams {

    private Streams() {
    }

    /** Copies {@code in} to {@code sink}, flushing each piece, until it ends; closes {@code in}; returns the bytes. */
    static long copy(InputStream in, OutputStream sink) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (in) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                sink.write(buffer, 0, n);
                sink.flush();
                total += n;
            }
        }
        return total;
    }
}
