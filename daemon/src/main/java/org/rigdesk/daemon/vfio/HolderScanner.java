package org.rigdesk.daemon.vfio;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.rigdesk.daemon.gpu.Bdf;
import org.rigdesk.daemon.gpu.SysfsReader;

/**
 * Rule 3: finds processes that hold a GPU's device nodes ({@code /dev/nvidiaN}, {@code /dev/dri/cardN},
 * {@code /dev/dri/renderDN}) open or mapped, by scanning {@code /proc/*}/fd and maps. Unbinding a
 * driver under them hangs or crashes them, so their presence refuses the toggle.
 */
public class HolderScanner {

    private final Path proc;
    private final SysfsReader sysfs;

    public HolderScanner(Path proc, SysfsReader sysfs) {
        this.proc = proc;
        this.sysfs = sysfs;
    }

    /** "1234 (python3)" for each process holding one of the GPU's nodes. */
    public List<String> holders(Bdf gpu) {
        Set<String> nodes = nodes(gpu);
        if (nodes.isEmpty()) {
            return List.of();
        }
        List<String> holders = new ArrayList<>();
        // Our own children (the telemetry sampler) hold every GPU; they are paused for a toggle.
        Set<String> ours = new HashSet<>();
        ours.add(Long.toString(ProcessHandle.current().pid()));
        ProcessHandle.current().descendants().forEach(p -> ours.add(Long.toString(p.pid())));
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> isPid(p.getFileName().toString()))) {
            for (Path pid : pids) {
                if (!ours.contains(pid.getFileName().toString()) && holds(pid, nodes)) {
                    String comm = SysfsReader.attribute(pid, "comm");
                    holders.add(pid.getFileName() + " (" + (comm == null ? "?" : comm) + ")");
                }
            }
        } catch (IOException e) {
            return holders;
        }
        holders.sort(null);
        return holders;
    }

    /** The device nodes that belong to this GPU. */
    Set<String> nodes(Bdf gpu) {
        Set<String> nodes = new HashSet<>();
        try (DirectoryStream<Path> drm = Files.newDirectoryStream(sysfs.device(gpu).resolve("drm"))) {
            for (Path node : drm) {
                String name = node.getFileName().toString();
                if (name.matches("(card|renderD)\\d+")) {
                    nodes.add("/dev/dri/" + name);
                }
            }
        } catch (IOException e) {
            // No DRM nodes: the driver may not be a DRM driver (nvidia without modeset).
        }
        String group = SysfsReader.linkName(sysfs.device(gpu).resolve("iommu_group"));
        if (group != null && group.matches("\\d+")) {
            nodes.add("/dev/vfio/" + group); // a VM (QEMU, cloud-hypervisor) holding the card
        }
        String info = SysfsReader.attribute(proc.resolve("driver/nvidia/gpus").resolve(gpu.value()), "information");
        if (info != null) {
            for (String line : info.split("\n")) {
                if (line.startsWith("Device Minor:")) {
                    String minor = line.substring("Device Minor:".length()).strip();
                    if (minor.matches("\\d{1,3}")) {
                        nodes.add("/dev/nvidia" + minor);
                    }
                }
            }
        }
        return nodes;
    }

    private static boolean holds(Path pid, Set<String> nodes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(pid.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (nodes.contains(Files.readSymbolicLink(fd).toString())) {
                        return true;
                    }
                } catch (IOException e) {
                    // the fd closed while we looked
                }
            }
        } catch (IOException | SecurityException e) {
            // process gone or not ours to read
        }
        try (Stream<String> maps = Files.lines(pid.resolve("maps"))) {
            return maps.anyMatch(line -> {
                int slash = line.indexOf('/');
                return slash >= 0 && nodes.contains(line.substring(slash).strip());
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }
}
