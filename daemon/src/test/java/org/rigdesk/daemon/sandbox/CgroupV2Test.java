package org.rigdesk.daemon.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's cgroup on the unified hierarchy, written into a tree laid out as the kernel shows a
 * delegated service's (this build machine mounts cgroup v1, so the files are plain files here).
 */
class CgroupV2Test {

    @TempDir
    Path mount;

    @Test
    void aJobGetsItsLimitsAndAQuarterOfTheDefaultDiskWeight() throws Exception {
        Path service = Files.createDirectories(mount.resolve("system.slice/rigdeskd.service"));
        Files.writeString(service.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        Files.writeString(service.resolve("cgroup.subtree_control"), "\n");
        Files.writeString(service.resolve("cgroup.procs"), ProcessHandle.current().pid() + "\n");
        Cgroups cgroups = CgroupV2.open(mount, "0::/system.slice/rigdeskd.service\n");
        assertTrue(cgroups.enabled(), cgroups.describe());
        assertEquals("+io", Files.readString(service.resolve("cgroup.subtree_control")), "io handed down last");
        Path job = Files.createDirectories(service.resolve("job-7"));
        Files.writeString(job.resolve("io.weight"), "default 100\n"); // the kernel makes it with the cgroup

        cgroups.create("job-7", CgroupLimits.forVm(2, 1024, false));

        assertEquals("default 25", Files.readString(job.resolve("io.weight")));
        assertEquals("300000 100000", Files.readString(job.resolve("cpu.max")));
        assertEquals(Long.toString((1024L << 20) + CgroupLimits.VMM_OVERHEAD_BYTES),
                Files.readString(job.resolve("memory.max")));
    }
}
