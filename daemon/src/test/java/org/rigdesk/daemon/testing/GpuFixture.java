package org.rigdesk.daemon.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.rigdesk.daemon.problems.StartupException;
import org.rigdesk.daemon.events.EventHub;
import org.rigdesk.daemon.gpu.PciIds;
import org.rigdesk.daemon.gpu.SysfsReader;
import org.rigdesk.daemon.simulation.EmulatedKernel;
import org.rigdesk.daemon.simulation.SysfsTree;
import org.rigdesk.daemon.store.AuditStore;
import org.rigdesk.daemon.store.Database;
import org.rigdesk.daemon.store.Migrations;
import org.rigdesk.daemon.vfio.GroupMover;
import org.rigdesk.daemon.vfio.HolderScanner;
import org.rigdesk.daemon.vfio.Kernel;
import org.rigdesk.daemon.vfio.ModeJournal;
import org.rigdesk.daemon.vfio.Preflight;
import org.rigdesk.daemon.vfio.VfioService;

/** The GPU side of the daemon in-process, on a fake tree with the emulated kernel and a real SQLite file. */
public final class GpuFixture implements AutoCloseable {

    public final SysfsTree tree;
    public final EmulatedKernel kernel;
    public final Database database;
    public final AuditStore audit;
    public final EventHub events = new EventHub();
    public final ModeJournal journal;
    private final Path dir;
    private final Set<String> accelerators;
    private final Duration writeTimeout;

    public GpuFixture(SysfsTree tree, Path dir) throws StartupException {
        this(tree, dir, Set.of(), Duration.ofSeconds(5));
    }

    public GpuFixture(SysfsTree tree, Path dir, Set<String> accelerators, Duration writeTimeout)
            throws StartupException {
        this.tree = tree;
        this.dir = dir;
        this.accelerators = accelerators;
        this.writeTimeout = writeTimeout;
        this.kernel = new EmulatedKernel(tree.sys());
        this.database = Database.open(dir.resolve("rigdesk.db"), Migrations.all());
        this.audit = new AuditStore(database);
        this.journal = new ModeJournal(database);
    }

    /** A fresh service, as a (re)started daemon builds it; its inventory is loaded. */
    public VfioService service() {
        return service(kernel);
    }

    public VfioService service(Kernel withKernel) {
        SysfsReader sysfs = new SysfsReader(tree.sys());
        PciIds names = PciIds.load(java.util.List.of(Path.of("/usr/share/misc/pci.ids")));
        VfioService service = new VfioService(sysfs, names,
                new Preflight(sysfs, new HolderScanner(tree.proc(), sysfs), names, SysfsTree.modulesDir(tree.sys())),
                new GroupMover(withKernel, sysfs, writeTimeout), journal, audit, events, accelerators,
                new org.rigdesk.daemon.lease.GpuLeases(), VfioService.DeviceUsers.NONE, bdf -> null);
        service.refresh();
        return service;
    }

    public String driver(String bdf) {
        return SysfsReader.linkName(tree.sys().resolve("bus/pci/devices").resolve(bdf).resolve("driver"));
    }

    public String override(String bdf) {
        return SysfsReader.attribute(tree.sys().resolve("bus/pci/devices").resolve(bdf), "driver_override");
    }

    /** Driver and override of every device: equal fingerprints mean nothing was written. */
    public Map<String, String> fingerprint() throws IOException {
        return fingerprint(tree.sys());
    }

    public static Map<String, String> fingerprint(Path sys) throws IOException {
        Map<String, String> state = new TreeMap<>();
        try (DirectoryStream<Path> devices = Files.newDirectoryStream(sys.resolve("bus/pci/devices"))) {
            for (Path device : devices) {
                state.put(device.getFileName().toString(), SysfsReader.linkName(device.resolve("driver")) + " / "
                        + SysfsReader.attribute(device, "driver_override"));
            }
        }
        state.put("modules", String.join(",", listing(sys.resolve("module"))));
        return state;
    }

    private static java.util.List<String> listing(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        kernel.releaseHangs();
        events.close();
        database.close();
    }
}
