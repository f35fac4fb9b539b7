package org.rigdesk.daemon.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a VMM's uid, which has no group of the host's, may reach: only what "others" may. The job
 * directories are made so; the VM image, which may sit in a checkout under a private home, is
 * staged in the temp directory when it is not.
 */
public final class OthersAccess {

    private OthersAccess() {
    }

    /** Why others cannot reach {@code path} (a directory they must enter, or a file they must read), or empty. */
    public static Optional<String> problem(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        try {
            for (Path dir = absolute.getParent(); dir != null; dir = dir.getParent()) {
                if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return Optional.of(dir + " is closed to other users (no o+x)");
                }
            }
            PosixFilePermission needed = Files.isDirectory(absolute) ? PosixFilePermission.OTHERS_EXECUTE
                    : PosixFilePermission.OTHERS_READ;
            if (!Files.getPosixFilePermissions(absolute).contains(needed)) {
                return Optional.of(absolute + " is closed to other users");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot read the permissions on the way to " + absolute + ": " + e.getMessage());
        }
    }

    /**
     * The image directory VMMs can read: {@code image} itself when its {@code files} are open to
     * others, else a copy under {@code stage}, refreshed
     * when a file's size or time changes.
     */
    public static Path readableImage(Path image, List<String> files, Path stage) throws IOException {
        if (files.stream().map(image::resolve).filter(Files::exists).allMatch(file -> problem(file).isEmpty())) {
            return image;
        }
        Set<PosixFilePermission> open = PosixFilePermissions.fromString("rwxr-xr-x");
        Files.createDirectories(stage);
        // The stage may sit in a shared directory (/tmp): only one of root's own is used.
        if (Files.isSymbolicLink(stage) || (int) Files.getAttribute(stage, "unix:uid", LinkOption.NOFOLLOW_LINKS) != 0) {
            throw new IOException(stage + " is not a directory of root's: not staging the VM image there");
        }
        Files.setPosixFilePermissions(stage, open);
        for (String file : files) {
            Path source = image.resolve(file);
            Path target = stage.resolve(file);
            if (!Files.exists(source)) {
                continue; // the image check says what is missing
            }
            if (Files.exists(target) && Files.size(target) == Files.size(source)
                    && Files.getLastModifiedTime(target).equals(Files.getLastModifiedTime(source))) {
                continue;
            }
            Path temp = Files.createTempFile(stage, file, ".part"); // daemons staging at once do not collide
            Files.copy(source, temp, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return stage;
    }
}
