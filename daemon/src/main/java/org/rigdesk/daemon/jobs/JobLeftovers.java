package org.rigdesk.daemon.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.rigdesk.daemon.host.FileTrees;
import org.rigdesk.daemon.vm.FirecrackerVmm;

/**
 * What a job's VM leaves behind, found and removed: after a VM ends (its disks, sockets, the
 * config disk with any secret), and at start the VMs a killed daemon left running.
 */
final class JobLeftovers {

    private static final Logger LOG = Logger.getLogger(JobLeftovers.class.getName());

    private JobLeftovers() {
    }

    /**
     * What a VM leaves that must not outlive it: the VMM's directory (disks, the config disk,
     * sockets, the console FIFO) and the pid file.
     */
    static void removeDisposables(Path dir) {
        try {
            FileTrees.delete(dir.resolve("vm"));
            // Before the VMM had a directory of its own (0.1), its files lay beside the log.
            for (String file : List.of("job.pid", "root.qcow2", "config.img", "qmp.sock", "vmm-api.sock", "vmm.pid")) {
                Files.deleteIfExists(dir.resolve(file));
            }
        } catch (IOException e) {
            LOG.warning("cannot remove what the VM of " + dir + " left: " + e.getMessage());
        }
    }

    /**
     * At start: a VM left by a killed daemon is stopped, and its disks removed. {@code commandLines}
     * are the host's processes, read once for all job directories.
     */
    static void stopLeftovers(Path dir, Map<ProcessHandle, String> commandLines) {
        // A VMM's command line names files in its job's directory (a jailed Firecracker, its jail's
        // id, made from that directory); a pid file would miss a VM started just before the daemon
        // died, before its pid was written.
        String marker = dir + "/";
        String jailed = "--id=" + FirecrackerVmm.jailId(JobRun.vmName(dir), dir.resolve("vm")) + " ";
        commandLines.forEach((process, line) -> {
            if (line.contains(marker) || (line + " ").contains(jailed)) {
                LOG.warning("stopping VM " + process.pid() + " left by the previous rigdeskd (" + dir + ")");
                process.destroyForcibly();
                process.onExit().join();
            }
        });
        removeDisposables(dir);
    }

    /**
     * The host's VMM processes with their command lines. Only VMMs: someone's {@code tail -f} of
     * a job's log names the job directory too, and must not be killed.
     */
    static Map<ProcessHandle, String> commandLines() {
        Map<ProcessHandle, String> lines = new HashMap<>();
        ProcessHandle.allProcesses().forEach(p -> p.info().commandLine().filter(JobLeftovers::isVmm)
                .ifPresent(line -> lines.put(p, line)));
        return lines;
    }

    /** QEMU, cloud-hypervisor or Firecracker, run directly or as a script's argument (test fakes). */
    static boolean isVmm(String commandLine) {
        String[] words = commandLine.split(" ", 3);
        for (int i = 0; i < Math.min(2, words.length); i++) {
            String name = words[i].substring(words[i].lastIndexOf('/') + 1);
            if (name.startsWith("qemu-system-") || name.equals("cloud-hypervisor") || name.equals("firecracker")) {
                return true;
            }
        }
        return false;
    }
}
