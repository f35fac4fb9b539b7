package org.rigdesk.daemon.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Who manages a network namespace's job networks: one daemon, named to the next that asks. */
@Timeout(60)
class NamespaceLockTest {

    private static final Path OWN = Path.of("/proc/self/ns/net");

    @TempDir
    Path dir;

    @Test
    void aSecondTakerIsToldWhoHoldsItAndGetsItOnceTheHolderIsGone() throws Exception {
        Path file;
        try (NamespaceLock first = NamespaceLock.take(dir, OWN)) {
            try (var files = Files.list(dir)) {
                file = files.findFirst().orElseThrow();
            }
            assertTrue(file.getFileName().toString().matches("rigdesk-job-networks\\.\\d+\\.lock"), file.toString());
            assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(file).strip());
            IOException again = assertThrows(IOException.class, () -> NamespaceLock.take(dir, OWN));
            assertTrue(again.getMessage().contains("pid " + ProcessHandle.current().pid()), again.getMessage());
        }
        // Another process (a daemon) holds it: the kernel's lock, as fcntl takes it.
        Process holder = new ProcessBuilder("python3", "-c", String.join("\n",
                "import fcntl, sys, time",
                "f = open(sys.argv[1], 'r+')",
                "fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)",
                "f.truncate(0); f.write('4242\\n'); f.flush()",
                "print('held', flush=True)",
                "time.sleep(60)"), file.toString()).redirectErrorStream(true).start();
        try {
            String line = new BufferedReader(new InputStreamReader(holder.getInputStream())).readLine();
            assertEquals("held", line);
            IOException held = assertThrows(IOException.class, () -> NamespaceLock.take(dir, OWN));
            assertEquals("another rigdeskd (pid 4242) manages the job networks of this network namespace",
                    held.getMessage());
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        try (NamespaceLock mine = NamespaceLock.take(dir, OWN)) {
            assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(file).strip(),
                    "a holder that died leaves the lock to the next");
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }
}
