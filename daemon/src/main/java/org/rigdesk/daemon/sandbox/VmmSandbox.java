package org.rigdesk.daemon.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.rigdesk.daemon.gpu.Bdf;
import org.rigdesk.daemon.vm.VmmLaunch;

/**
 * Confines each job's VMM, the process a hostile guest attacks first: its own unprivileged uid
 * (it owns only its job's files, its VFIO groups and, by group, /dev/kvm), its own cgroup with
 * limits, no capabilities and no way back to them ({@code setpriv --no-new-privs}, empty bounding
 * set). The VMM's own seccomp filter comes on top (QEMU's {@code -sandbox}).
 */
public final class VmmSandbox {

    private static final Logger LOG = Logger.getLogger(VmmSandbox.class.getName());

    /**
     * The launcher: the shell joins the cgroups (as root, before any VMM code runs), raises the
     * locked-memory limit a VFIO guest needs, then becomes setpriv, which becomes the VMM.
     */
    private static final String JOIN = "for f; do [ \"$f\" = -- ] && break; echo $$ > \"$f\" || exit 125; done; "
            + "while [ \"$1\" != -- ]; do shift; done; shift; ";

    private final boolean root;
    private final String setpriv;
    private final VmmUsers users;
    private final Cgroups cgroups;
    private final Path sysfs;
    private final Path dev;

    public VmmSandbox(boolean root, String setpriv, VmmUsers users, Cgroups cgroups, Path sysfs, Path dev) {
        this.root = root;
        this.setpriv = setpriv;
        this.users = users;
        this.cgroups = cgroups;
        this.sysfs = sysfs;
        this.dev = dev;
    }

    public Cgroups cgroups() {
        return cgroups;
    }

    /** How VMMs run here, in a sentence: for the host check and the log. */
    public String describe() {
        if (!root) {
            return "VMMs run as rigdeskd's own user (it is not root), in its cgroup";
        }
        return setpriv == null ? "setpriv (util-linux) is missing: rigdeskd refuses to start VMs as root"
                : "each job's VMM runs as a uid of its own, without privileges; " + cgroups.describe();
    }

    /** Whether VMMs run as uids of their own (the daemon is root). */
    public boolean confines() {
        return root;
    }

    /** Whether VMs can start: a root daemon never starts a VMM as root. */
    public boolean ready() {
        return !root || setpriv != null;
    }

    /**
     * Confines the VMM of job {@code name}: a uid, a cgroup, the VFIO groups of {@code vfio} handed
     * to that uid. The caller hands it the job's files with {@link Confinement#own} and closes it
     * after the VMM is gone.
     */
    public Confinement confine(String name, int cpus, int memoryMiB, boolean tcg, List<Bdf> vfio) throws IOException {
        return confine(name, cpus, memoryMiB, tcg, vfio, List.of());
    }

    /** As above; the VMM also gets the supplementary {@code groups} (a cache's: read its committed image). */
    public Confinement confine(String name, int cpus, int memoryMiB, boolean tcg, List<Bdf> vfio, List<Integer> groups)
            throws IOException {
        if (!root) {
            return new Confinement(null, -1, new JobCgroup(List.of()), VmmLaunch.DIRECT);
        }
        if (setpriv == null) {
            throw new IOException("setpriv (util-linux) is missing: rigdeskd does not start a VMM as root; "
                    + "install util-linux");
        }
        int uid = users.acquire();
        JobCgroup cgroup;
        try {
            cgroup = cgroups.create(name, CgroupLimits.forVm(cpus, memoryMiB, tcg));
        } catch (IOException e) {
            users.release(uid);
            throw e;
        }
        Confinement confinement = new Confinement(users, uid, cgroup, new VmmLaunch(
                join(cgroup, vfio.isEmpty() ? 0 : memoryMiB), drop(uid, tcg, groups), uid));
        try {
            for (Path group : vfioGroups(vfio)) {
                confinement.own(group);
            }
        } catch (IOException e) {
            confinement.close();
            throw e;
        }
        return confinement;
    }

    /**
     * After a crash, what a dead VMM's uid was handed still carries that uid ({@code /dev/vfio/N},
     * a job's {@code control.log} and disks), and uids are reused: at start, everything under the
     * jobs directory and in {@code /dev/vfio} owned by a VMM uid goes back to root. Links are not
     * followed. Returns what was taken back.
     */
    public List<Path> reclaim(Path jobsDir) {
        List<Path> taken = new ArrayList<>();
        if (!root) {
            return taken;
        }
        for (Path top : List.of(dev.resolve("vfio"), jobsDir)) {
            if (!Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (var walk = Files.walk(top, 4)) {
                for (Path path : walk.toList()) {
                    try {
                        if (users.owns((int) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS))) {
                            Confinement.chown(path, 0);
                            taken.add(path);
                        }
                    } catch (IOException e) {
                        LOG.warning("cannot give " + path + " back to root: " + e.getMessage());
                    }
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                LOG.warning("cannot look for files a VMM left under " + top + ": " + e.getMessage());
            }
        }
        if (!taken.isEmpty()) {
            LOG.warning("gave " + taken.size() + " files left by VMMs of an earlier run back to root, e.g. " + taken.get(0));
        }
        return taken;
    }

    /** The shell that joins the job's cgroups (as root) and raises the locked-memory limit, then execs. */
    private static List<String> join(JobCgroup cgroup, int pinnedMiB) {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c",
                JOIN + (pinnedMiB > 0 ? "ulimit -l " + ((long) pinnedMiB * 1024 + (64L << 10)) + " || exit 125; " : "")
                        + "exec \"$@\"", "rigdesk-vmm"));
        cgroup.procsFiles().forEach(file -> argv.add(file.toString()));
        argv.add("--");
        return argv;
    }

    /** setpriv, which becomes the VMM as {@code uid} with no groups (but kvm) and no capabilities. */
    private List<String> drop(int uid, boolean tcg, List<Integer> extra) throws IOException {
        List<String> argv = new ArrayList<>(List.of(setpriv, "--reuid=" + uid, "--regid=" + uid));
        Path kvm = dev.resolve("kvm");
        List<String> groups = new ArrayList<>();
        if (!tcg && Files.exists(kvm)) {
            // /dev/kvm is root:kvm 0660: the VMM gets the kvm group, nothing else.
            groups.add(String.valueOf(Files.getAttribute(kvm, "unix:gid")));
        }
        extra.forEach(gid -> groups.add(Integer.toString(gid)));
        argv.add(groups.isEmpty() ? "--clear-groups" : "--groups=" + String.join(",", groups));
        argv.addAll(List.of("--no-new-privs", "--bounding-set=-all", "--inh-caps=-all", "--"));
        return argv;
    }

    /** /dev/vfio/N for each IOMMU group of the functions. */
    private List<Path> vfioGroups(List<Bdf> functions) throws IOException {
        List<Path> nodes = new ArrayList<>();
        for (Bdf function : functions) {
            Path link = sysfs.resolve("bus/pci/devices").resolve(function.value()).resolve("iommu_group");
            Path node = dev.resolve("vfio").resolve(Files.readSymbolicLink(link).getFileName().toString());
            if (!nodes.contains(node)) {
                nodes.add(node);
            }
        }
        return nodes;
    }

    /**
     * The uid, cgroup, files and devices of one job's VMM; closing gives them back: what still
     * exists of what the uid was handed returns to root, so that a later job given the same uid
     * finds nothing of this one's.
     */
    public static final class Confinement implements AutoCloseable {

        private final VmmUsers users;
        private final int uid;
        private final JobCgroup cgroup;
        private final List<Path> owned = new ArrayList<>();
        private final VmmLaunch launch;

        Confinement(VmmUsers users, int uid, JobCgroup cgroup, VmmLaunch launch) {
            this.users = users;
            this.uid = uid;
            this.cgroup = cgroup;
            this.launch = launch;
        }

        public VmmLaunch launch() {
            return launch;
        }

        /** -1 when the VMM runs as the daemon's own user. */
        public int uid() {
            return uid;
        }

        /** Hands a file or directory the daemon made to the VMM's uid (no-op when not confined). */
        public void own(Path path) throws IOException {
            if (uid >= 0) {
                chown(path, uid);
                owned.add(path);
            }
        }

        private static void chown(Path path, int id) throws IOException {
            Files.setAttribute(path, "unix:gid", id, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:uid", id, LinkOption.NOFOLLOW_LINKS);
        }

        /**
         * Ends every process left in the job's cgroup (an escaped VMM's children too) and gives
         * what the uid was handed back to root: from here on nothing of the VMM's can swap a file
         * that root reads (the cache merge). Safe to call again.
         */
        public void takeBack() {
            cgroup.killAll();
            for (Path path : owned) {
                try {
                    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                        chown(path, 0);
                    }
                } catch (IOException e) {
                    LOG.warning("cannot give " + path + " back to root: " + e.getMessage());
                }
            }
        }

        @Override
        public void close() {
            takeBack();
            cgroup.remove();
            if (users != null) {
                users.release(uid);
            }
        }
    }
}
