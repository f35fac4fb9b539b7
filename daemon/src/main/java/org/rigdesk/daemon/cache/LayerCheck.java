package org.rigdesk.daemon.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * A job's cache layer checked before root's {@code qemu-img} reads it: the VMM owned it, and an
 * escaped VMM could have put a link to any file of the host in its place (root would copy that file
 * into a cache later jobs read), given it names outside the job's directory, or written a qcow2 header that sends reads to
 * an external data file. The backing file is not checked here: the merge names it itself.
 */
final class LayerCheck {

    private static final int QCOW2_MAGIC = 0x514649fb;
    /** qcow2 v3 incompatible features: bit 1 corrupt, bit 2 external data file. */
    private static final long CORRUPT = 1L << 1;
    private static final long EXTERNAL_DATA_FILE = 1L << 2;

    private LayerCheck() {
    }

    static void verify(Path layer, String format) throws Caches.NotMerged, IOException {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(layer, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new Caches.NotMerged("the job's cache layer is gone");
        }
        if (attributes.isSymbolicLink()) {
            throw new Caches.NotMerged("the job's cache layer was replaced by a symbolic link");
        }
        if (!attributes.isRegularFile()) {
            throw new Caches.NotMerged("the job's cache layer is not a plain file");
        }
        int names = (int) Files.getAttribute(layer, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        if (names != 1 && names != namesWithin(layer.getParent(), attributes.fileKey())) {
            // A jailed Firecracker's link to it lies in the job's directory; any other name is not ours.
            throw new Caches.NotMerged("the job's cache layer has other names (hard links)");
        }
        if ("qcow2".equals(format)) {
            checkHeader(layer);
        }
    }

    /** How many names the file {@code key} has under {@code dir} (links not followed). */
    private static int namesWithin(Path dir, Object key) throws IOException {
        try (var walk = Files.walk(dir)) {
            return (int) walk.filter(path -> {
                try {
                    return key.equals(Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                            .fileKey());
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    private static void checkHeader(Path layer) throws Caches.NotMerged, IOException {
        ByteBuffer header = ByteBuffer.allocate(80);
        try (FileChannel file = FileChannel.open(layer, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            while (header.hasRemaining() && file.read(header) > 0) {
                // a header is read whole or found short
            }
        }
        if (header.position() < 72 || header.getInt(0) != QCOW2_MAGIC) {
            throw new Caches.NotMerged("the job's cache layer is not a qcow2 image any more");
        }
        int version = header.getInt(4);
        if (version != 2 && version != 3) {
            throw new Caches.NotMerged("the job's cache layer has qcow2 version " + version);
        }
        if (version == 3) {
            if (header.position() < 80) {
                throw new Caches.NotMerged("the job's cache layer has a short qcow2 header");
            }
            long incompatible = header.getLong(72);
            if ((incompatible & EXTERNAL_DATA_FILE) != 0) {
                throw new Caches.NotMerged("the job's cache layer names an external data file");
            }
            if ((incompatible & CORRUPT) != 0) {
                throw new Caches.NotMerged("the job's cache layer is marked corrupt");
            }
        }
    }
}
