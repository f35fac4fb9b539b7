package org.rigdesk.daemon.network;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One rigdeskd's job networks per network namespace. The nftables table, the taps and forwarding
 * are the namespace's, not a daemon's: a second rigdeskd (another socket, another state dir) that
 * set them up would replace the first's rules under its running jobs, remove their taps as
 * leftovers, and take the table away when it stopped, leaving those jobs unfiltered. The lock is
 * the kernel's (fcntl on a file named for the namespace), so it goes with a daemon that dies.
 */
final class NamespaceLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private NamespaceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of the namespace this process is in, in {@code dir}; when another daemon
     * holds it, says which (its pid) in the exception.
     */
    static NamespaceLock take(Path dir, Path ownNamespace) throws IOException {
        String name = Files.readSymbolicLink(ownNamespace).toString().replaceAll("[^0-9]", "");
        Files.createDirectories(dir);
        Path file = dir.resolve("rigdesk-job-networks." + name + ".lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                String holder = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).strip();
                throw new IOException("another rigdeskd" + (holder.matches("\\d+") ? " (pid " + holder + ")" : "")
                        + " manages the job networks of this network namespace");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return new NamespaceLock(channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the kernel drops the lock with the descriptor
        }
    }
}
