package org.rigdesk.daemon.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.rigdesk.api.wire.ImageInfo;

/**
 * The job VM image in a directory, as its recipe's {@code image.json} describes it: the flavour,
 * the distribution, Docker's version, the NVIDIA driver and the newest CUDA it runs, whether Docker
 * has NVIDIA's runtime, when it was built. Read afresh where it is needed (an image is rebuilt in
 * place while the daemon runs); what the file lacks or gets wrong reads as unknown.
 */
public record JobImage(Path dir, boolean present, String flavour, String distro, String docker, String driver,
                       String cuda, boolean containerToolkit, Instant builtAt) {

    /** The files every image has (vmlinux beside them for Firecracker). */
    public static final List<String> REQUIRED = List.of("vmlinuz", "initrd.img", "rootfs.ext4");

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The last read of each directory and the modification time of its image.json then. */
    private static final java.util.Map<Path, Read> READS = new java.util.concurrent.ConcurrentHashMap<>();

    private record Read(java.nio.file.attribute.FileTime stamp, JobImage image) {
    }

    /** As {@link #read}, but read again only when image.json changed (slot labels ask on every tick). */
    public static JobImage current(Path dir) {
        java.nio.file.attribute.FileTime stamp;
        try {
            stamp = Files.getLastModifiedTime(dir.resolve("image.json"));
        } catch (IOException e) {
            return read(dir);
        }
        Read last = READS.get(dir);
        if (last != null && last.stamp().equals(stamp)) {
            return last.image();
        }
        JobImage image = read(dir);
        READS.put(dir, new Read(stamp, image));
        return image;
    }

    public static JobImage read(Path dir) {
        boolean present = REQUIRED.stream().allMatch(file -> Files.isRegularFile(dir.resolve(file)));
        JsonNode manifest;
        try {
            manifest = JSON.readTree(dir.resolve("image.json").toFile());
        } catch (IOException e) {
            manifest = JSON.createObjectNode();
        }
        String distro = text(manifest, "distroName");
        return new JobImage(dir, present, text(manifest, "flavour"), distro != null ? distro : text(manifest, "distro"),
                version(text(manifest, "docker"), "\\d+(\\.\\d+)*"), version(text(manifest, "driver"), "\\d+(\\.\\d+)*"),
                version(text(manifest, "cuda"), "\\d+\\.\\d+"), manifest.path("containerToolkit").asBoolean(false),
                builtAt(dir, text(manifest, "builtAt")));
    }

    public boolean isTest() {
        return "test".equals(flavour);
    }

    /**
     * What GPU slots carry because of this image: {@code nvidia-<major>} for its driver and
     * {@code cuda-<major>.<minor>} for the newest CUDA that driver runs, so a workflow can ask for
     * what its code needs ({@code runs-on: [self-hosted, gpu, cuda-12.4]}).
     */
    public List<String> gpuLabels() {
        List<String> labels = new ArrayList<>();
        if (driver != null) {
            labels.add("nvidia-" + driver.split("\\.")[0]);
        }
        if (cuda != null) {
            labels.add("cuda-" + cuda);
        }
        return labels;
    }

    /** In words for the Host page and doctor: "Debian GNU/Linux 12 (bookworm), Docker 20.10.24, no NVIDIA driver; built 2 days ago". */
    public String describe(Instant now) {
        List<String> has = new ArrayList<>();
        has.add(distro != null ? distro : isTest() ? "busybox (the test image)" : "an unnamed distribution");
        has.add(docker != null ? "Docker " + docker : "no Docker");
        has.add(driver == null ? "no NVIDIA driver" : "NVIDIA driver " + driver + (cuda == null ? "" : " (CUDA " + cuda + ")")
                + (containerToolkit ? " with the container toolkit" : ""));
        return String.join(", ", has) + (builtAt == null ? "" : "; built " + age(builtAt, now));
    }

    public ImageInfo wire() {
        return new ImageInfo(dir.toString(), present, flavour, distro, docker, driver, cuda, containerToolkit,
                builtAt == null ? null : builtAt.toString(), gpuLabels());
    }

    static String age(Instant then, Instant now) {
        long days = Duration.between(then, now).toDays();
        return days <= 0 ? "today" : days == 1 ? "yesterday" : days + " days ago";
    }

    private static String text(JsonNode manifest, String field) {
        JsonNode node = manifest.path(field);
        return node.isTextual() && !node.asText().isBlank() ? node.asText().strip() : null;
    }

    private static String version(String text, String shape) {
        return text != null && text.matches(shape) ? text : null;
    }

    /** When the recipe says it built the image, else when its root disk was written. */
    private static Instant builtAt(Path dir, String said) {
        if (said != null) {
            try {
                return Instant.parse(said);
            } catch (DateTimeParseException e) {
                // not a time: the root disk's
            }
        }
        try {
            return Files.getLastModifiedTime(dir.resolve("rootfs.ext4")).toInstant();
        } catch (IOException e) {
            return null;
        }
    }
}
