package org.rigdesk.daemon.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The cloud-hypervisor, Firecracker and jailer stand-ins (test resources {@code /fakes/}) installed
 * as executables in {@code dir/bin}; put it first on the daemon's PATH. They serve each VMM's REST
 * API as documented and play the guest agent (see fake-vmm.py).
 */
public final class FakeVmms {

    private FakeVmms() {
    }

    public static Path install(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        copy("/fakes/fake-vmm.py", bin.resolve("cloud-hypervisor"));
        copy("/fakes/fake-vmm.py", bin.resolve("firecracker"));
        copy("/fakes/fake-jailer.py", bin.resolve("jailer"));
        return bin;
    }

    private static void copy(String resource, Path target) throws IOException {
        try (InputStream in = FakeVmms.class.getResourceAsStream(resource)) {
            Files.write(target, in.readAllBytes());
        }
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
