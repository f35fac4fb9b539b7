package org.rigdesk.daemon.vfio;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.rigdesk.api.wire.EventType;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.Gpu.Blocker;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.ProblemCode;
import org.rigdesk.daemon.problems.DomainException;
import org.rigdesk.daemon.events.EventHub;
import org.rigdesk.daemon.gpu.Bdf;
import org.rigdesk.daemon.gpu.DeviceRole;
import org.rigdesk.daemon.gpu.PciDevice;
import org.rigdesk.daemon.gpu.PciIds;
import org.rigdesk.daemon.gpu.SysfsReader;
import org.rigdesk.daemon.lease.GpuLeases;
import org.rigdesk.daemon.store.AuditStore;

/**
 * The GPU inventory and the toggle. The inventory is kept in memory (reads never touch sysfs)
 * and rebuilt after every change and on {@link #refresh()}; a toggle takes its group from the
 * {@link GpuLeases} first (rule 1: never while a job holds it, nor a job while it moves), checks
 * before it writes, journals the desired mode first, and reports each outcome to the audit log
 * and the event stream.
 */
public class VfioService {

    private static final Logger LOG = Logger.getLogger(VfioService.class.getName());
    public static final String VFIO_DRIVER = "vfio-pci";

    private final SysfsReader sysfs;
    private final PciIds names;
    private final Preflight preflight;
    private final GroupMover mover;
    private final ModeJournal journal;
    private final AuditStore audit;
    private final EventHub events;
    private final Set<String> accelerators;
    private final GpuLeases leases;
    private final DeviceUsers deviceUsers;
    private final Function<String, String> liveName;

    /** Our own users of GPU device nodes (the telemetry sampler): stopped while a driver changes under them. */
    public interface DeviceUsers {
        DeviceUsers NONE = new DeviceUsers() {
            @Override
            public void pause() {
            }

            @Override
            public void resume() {
            }
        };

        void pause();

        void resume();
    }

    private volatile Map<String, Gpu> inventory = Map.of();
    /** Fills in what other parts know of a card (its lending), for every answer and event. */
    private volatile java.util.function.UnaryOperator<Gpu> decorator = java.util.function.UnaryOperator.identity();
    private volatile HealthGate gate;

    /**
     * {@code deviceUsers}: our own users of the cards' device nodes (the sampler), paused while a
     * driver changes; {@code liveName}: a name for cards pci.ids does not know (the driver's own,
     * from telemetry), or null.
     */
    public VfioService(SysfsReader sysfs, PciIds names, Preflight preflight, GroupMover mover, ModeJournal journal,
                       AuditStore audit, EventHub events, Set<String> accelerators, GpuLeases leases,
                       DeviceUsers deviceUsers, Function<String, String> liveName) {
        this.sysfs = sysfs;
        this.names = names;
        this.preflight = preflight;
        this.mover = mover;
        this.journal = journal;
        this.audit = audit;
        this.events = events;
        this.accelerators = Set.copyOf(accelerators);
        this.leases = leases;
        this.deviceUsers = deviceUsers;
        this.liveName = liveName;
    }

    /** Set once at start: the health gate whose checks the inventory shows and whose quarantine it honours. */
    public void gateWith(HealthGate gate) {
        this.gate = gate;
        refresh();
    }

    /**
     * {@code POST /v1/gpus/{bdf}/check}: checks the card now ({@link HealthGate#check}), after a
     * function reset when {@code reset} (a card on vfio-pci only: on its host driver the driver owns
     * it); a card that passes leaves its quarantine. Returns the card as the inventory then says.
     */
    public Gpu check(Bdf bdf, boolean reset, String caller) {
        PciDevice device = sysfs.read(bdf).filter(this::isGpu).orElseThrow(
                () -> DomainException.notFound("no GPU at " + bdf + "; GET /v1/gpus lists them"));
        Card card = cardOf(device);
        if (gate == null) {
            throw DomainException.refused(ProblemCode.UNHEALTHY, "GPU health checks are not running here", null);
        }
        if (!reset) {
            gate.check(bdf.value(), groupKey(card), caller);
        } else if (!VFIO_DRIVER.equals(device.driver())) {
            throw DomainException.refused(ProblemCode.NOT_IN_PASSTHROUGH, bdf + " is on "
                    + (device.driver() == null ? "no driver" : device.driver()) + ", not vfio-pci: its driver owns "
                    + "its resets", "Move it to vfio-pci first, or check it without --reset.");
        } else {
            gate.resetAndCheck(bdf.value(), groupKey(card), caller);
        }
        refreshQuietly();
        return inventory.getOrDefault(bdf.value(), toWire(card));
    }

    /** Set once at start, by the part that knows each card's lending; the inventory is read again through it. */
    public void decorateWith(java.util.function.UnaryOperator<Gpu> with) {
        this.decorator = with;
        refresh();
    }

    public List<Gpu> list() {
        return List.copyOf(inventory.values());
    }

    /** The inventory {@code json} was made from, and the bytes: GET /v1/gpus is answered from memory. */
    private volatile Object jsonOf;
    private volatile byte[] json;

    /**
     * {@code GET /v1/gpus}'s body, serialised once per inventory: every change replaces the
     * inventory map, so a reference check tells whether the bytes are current.
     */
    public byte[] listJson(java.util.function.Function<Object, byte[]> serialiser) {
        Map<String, Gpu> current = inventory;
        byte[] bytes = json;
        if (jsonOf != current || bytes == null) {
            bytes = serialiser.apply(new org.rigdesk.api.wire.GpuList(List.copyOf(current.values())));
            json = bytes;
            jsonOf = current;
        }
        return bytes;
    }

    public Optional<Gpu> get(String bdf) {
        return Optional.ofNullable(inventory.get(bdf));
    }

    /** Rescans sysfs and /proc; publishes a {@code gpu} event for every card that changed. */
    public synchronized void refresh() {
        Map<String, Gpu> next = new LinkedHashMap<>();
        for (PciDevice device : sysfs.all()) {
            if (isGpu(device)) {
                next.put(device.bdf().value(), toWire(cardOf(device)));
            }
        }
        Map<String, Gpu> previous = inventory;
        inventory = next;
        next.forEach((bdf, gpu) -> {
            if (!gpu.equals(previous.get(bdf))) {
                events.publish(EventType.GPU, gpu);
            }
        });
    }

    boolean isGpu(PciDevice device) {
        return DeviceRole.isDisplay(device.pciClass()) || accelerators.contains(device.vendorDevice());
    }

    /**
     * {@code PUT /v1/gpus/{bdf}/mode}. Returns the GPU as it now is; throws DomainException with the
     * contract's status and code otherwise. Nothing is written unless every check passes.
     */
    public Gpu setMode(Bdf bdf, GpuMode mode, String caller) {
        if (!mode.requestable()) {
            throw new IllegalArgumentException("a toggle asks for vfio or host, not " + mode);
        }
        PciDevice device = sysfs.read(bdf).filter(this::isGpu).orElseThrow(() -> {
            audit.record(caller, "gpu.mode " + mode, bdf.value(), "rejected", "no such GPU");
            return DomainException.notFound("no GPU at " + bdf + "; GET /v1/gpus lists them");
        });
        Card card = cardOf(device);
        String group = groupKey(card);
        Optional<GpuLeases.Holder> holder = leases.beginChange(group);
        if (holder.isPresent()) {
            throw refuse(caller, mode, bdf, busy(bdf, holder.get()));
        }
        try {
            if (mode == GpuMode.VFIO ? card.allOnVfio() : card.allOnHost()) {
                journalQuietly(bdf, device, mode);
                audit.record(caller, "gpu.mode " + mode, bdf.value(), "unchanged", "already in " + mode + " mode");
            } else {
                change(card, mode, caller);
            }
        } finally {
            // A stuck card keeps its group held (markStuck): nothing may touch what the kernel is stuck on.
            leases.endChange(group);
            refreshQuietly();
        }
        return inventory.getOrDefault(bdf.value(), toWire(cardOf(sysfs.read(bdf).orElse(device))));
    }

    /** A toggle's request as the route got it, typed; what does not parse is audited and refused. */
    public record ModeChange(Bdf bdf, GpuMode mode) {
    }

    /**
     * The address a change to a card names, parsed once at the route: a malformed one is audited
     * (as {@code action}, with the caller) and refused; below the route only a {@link Bdf} travels.
     */
    public Bdf address(String bdfText, String action, String caller) {
        if (!Bdf.isValid(bdfText)) {
            audit.record(caller, action, Bdf.printable(bdfText), "rejected", "malformed PCI address");
            throw DomainException.invalid(Bdf.invalidText(bdfText));
        }
        return Bdf.parse(bdfText);
    }

    /** {@code PUT /v1/gpus/{bdf}/mode}'s address and mode, checked once at the edge; nothing else takes strings. */
    public ModeChange parseModeChange(String bdfText, String modeText, String caller) {
        Bdf bdf = address(bdfText, "gpu.mode", caller);
        Optional<GpuMode> mode = GpuMode.of(modeText).filter(GpuMode::requestable);
        if (mode.isEmpty()) {
            audit.record(caller, "gpu.mode", bdf.value(), "rejected", "unknown mode");
            throw DomainException.invalid("mode must be \"vfio\" or \"host\", got " + Bdf.printable(modeText));
        }
        return new ModeChange(bdf, mode.get());
    }

    private static Blocker busy(Bdf bdf, GpuLeases.Holder holder) {
        if (holder instanceof GpuLeases.ForJob lent) {
            return new Blocker(Refusal.BUSY, bdf + " is in use by job " + lent.jobId(),
                    "Wait for the job to finish or cancel it.");
        }
        if (holder instanceof GpuLeases.Quarantined sick) {
            return new Blocker(ProblemCode.UNHEALTHY, bdf + " is quarantined: " + sick.why(),
                    "Fix what it says (a reboot brings back a card that fell off the bus or failed its reset), then "
                            + "check it again: rigdesk gpu check " + bdf + ".");
        }
        if (holder instanceof GpuLeases.Stuck) {
            return new Blocker(Refusal.BUSY, "a sysfs write for this card never returned: the kernel is stuck on it",
                    "Reboot the machine to recover the card.");
        }
        return new Blocker(Refusal.BUSY, "another change to this card's IOMMU group is in progress",
                "Wait for it to finish (GET /v1/gpus shows mode \"changing\").");
    }

    /**
     * Whether the card and every function of its group are bound to vfio-pci now, read from sysfs:
     * the scheduler's check once it holds the card's lease, when no toggle can move it any more.
     */
    public boolean onVfioNow(String bdf) {
        return Bdf.isValid(bdf) && sysfs.read(Bdf.parse(bdf)).filter(this::isGpu).map(this::cardOf)
                .map(Card::allOnVfio).orElse(false);
    }

    /** The lease name of a GPU's group. */
    public static String groupKey(Gpu gpu) {
        return GpuLeases.key(gpu.iommuGroup(), Bdf.parse(gpu.bdf()).slot());
    }

    /** Checks, journals and moves a card whose group is held. */
    private void change(Card card, GpuMode mode, String caller) {
        PciDevice device = card.gpu();
        Bdf bdf = device.bdf();
        List<Blocker> blockers = mode == GpuMode.VFIO ? preflight.toVfio(card) : preflight.toHost(card);
        if (!blockers.isEmpty()) {
            throw refuse(caller, mode, bdf, combine(blockers));
        }
        GpuMode previous = card.allOnVfio() ? GpuMode.VFIO : GpuMode.HOST;
        try {
            journal.put(bdf, device.vendorId(), device.deviceId(), mode);
            refreshQuietly();
            move(card, mode);
            audit.record(caller, "gpu.mode " + mode, bdf.value(), "ok", movedText(card));
            LOG.info(() -> caller + " moved " + movedText(card) + " to " + mode);
        } catch (GroupMover.MoveFailedException e) {
            journalQuietly(bdf, device, previous);
            audit.record(caller, "gpu.mode " + mode, bdf.value(), "failed", e.getMessage());
            throw DomainException.refused(ProblemCode.TOGGLE_FAILED, "Toggle failed", e.getMessage(),
                    "See the daemon log (journalctl -u rigdeskd) and dmesg for the kernel's side.");
        } catch (GroupMover.StuckException e) {
            leases.markStuck(groupKey(card));
            audit.record(caller, "gpu.mode " + mode, bdf.value(), "stuck", e.getMessage());
            LOG.severe("card " + bdf + " is stuck: " + e.getMessage());
            throw DomainException.failed(ProblemCode.STUCK, "Kernel did not answer", e.getMessage(),
                    "The card is left alone until a reboot; check dmesg for a driver hang.");
        } catch (IOException | SQLException e) {
            journalQuietly(bdf, device, previous);
            audit.record(caller, "gpu.mode " + mode, bdf.value(), "failed", e.getMessage());
            throw refuse(caller, mode, bdf, new Blocker(Refusal.VFIO_UNAVAILABLE,
                    "cannot prepare vfio-pci: " + e.getMessage(),
                    "Check that the running kernel has the vfio-pci module ('modprobe vfio-pci')."));
        }
    }

    private void move(Card card, GpuMode mode)
            throws GroupMover.MoveFailedException, GroupMover.StuckException, IOException {
        // Unbinding nvidia while even our own nvidia-smi holds /dev/nvidia* blocks in the kernel.
        deviceUsers.pause();
        try {
            moveNow(card, mode);
        } finally {
            deviceUsers.resume();
        }
    }

    private void moveNow(Card card, GpuMode mode)
            throws GroupMover.MoveFailedException, GroupMover.StuckException, IOException {
        if (mode == GpuMode.VFIO) {
            if (!preflight.vfioLoaded()) {
                mover.modprobe("vfio-pci");
                if (!preflight.vfioLoaded()) {
                    throw new IOException("modprobe vfio-pci succeeded but no vfio-pci driver appeared");
                }
            }
            mover.toVfio(card);
        } else {
            mover.toHost(card);
        }
    }

    /**
     * Rule 8 at start: brings every journalled card to its desired mode; where that is refused or
     * fails, returns it to a host driver, so that nothing is left unbound.
     */
    public void reconcile() {
        List<ModeJournal.Entry> entries;
        try {
            entries = journal.all();
        } catch (SQLException e) {
            LOG.severe("cannot read the mode journal: " + e.getMessage());
            return;
        }
        for (ModeJournal.Entry entry : entries) {
            Optional<PciDevice> found = sysfs.read(entry.bdf());
            if (found.isEmpty() || !found.get().vendorId().equals(entry.vendorId())
                    || !found.get().deviceId().equals(entry.deviceId())) {
                String now = found.map(PciDevice::vendorDevice).orElse("nothing");
                LOG.warning("journal wants " + entry.bdf() + " (" + entry.vendorId() + ":" + entry.deviceId() + ") in "
                        + entry.desiredMode() + " mode, but that slot now holds " + now + ": forgetting the entry, "
                        + "touching nothing");
                audit.record("rigdeskd", "gpu.reconcile", entry.bdf().value(), "skipped",
                        "slot now holds " + now);
                forget(entry.bdf());
                continue;
            }
            reconcile(cardOf(found.get()), entry.desiredMode());
        }
        refresh();
    }

    private void reconcile(Card card, GpuMode desired) {
        Bdf bdf = card.gpu().bdf();
        if (desired == GpuMode.VFIO ? card.allOnVfio() : card.allOnHost()) {
            return;
        }
        List<Blocker> blockers = desired == GpuMode.VFIO ? preflight.toVfio(card) : preflight.toHost(card);
        try {
            if (blockers.isEmpty()) {
                move(card, desired);
                LOG.info(() -> "re-applied " + desired + " mode to " + movedText(card));
                audit.record("rigdeskd", "gpu.reconcile " + desired, bdf.value(), "ok", movedText(card));
                return;
            }
            LOG.warning("cannot re-apply " + desired + " mode to " + bdf + ": " + combine(blockers).detail());
        } catch (GroupMover.MoveFailedException | IOException e) {
            LOG.warning("re-applying " + desired + " mode to " + bdf + " failed: " + e.getMessage());
        } catch (GroupMover.StuckException e) {
            LOG.severe("card " + bdf + " is stuck: " + e.getMessage());
            leases.markStuck(groupKey(card));
            return;
        }
        rescue(card);
    }

    /** Last resort at start: any function left without a driver goes back to its host driver. */
    private void rescue(Card card) {
        Card now = cardOf(sysfs.read(card.gpu().bdf()).orElse(card.gpu()));
        if (now.movable().stream().noneMatch(d -> d.driver() == null)) {
            return;
        }
        try {
            mover.toHost(now);
            journal.put(now.gpu().bdf(), now.gpu().vendorId(), now.gpu().deviceId(), GpuMode.HOST);
            audit.record("rigdeskd", "gpu.reconcile host", now.gpu().bdf().value(), "ok", "returned to host drivers");
        } catch (GroupMover.MoveFailedException | GroupMover.StuckException | SQLException e) {
            LOG.severe("could not return " + now.gpu().bdf() + " to a host driver: " + e.getMessage());
        }
    }

    Card cardOf(PciDevice gpu) {
        List<PciDevice> members = new ArrayList<>();
        if (gpu.iommuGroup() != null) {
            for (Bdf member : sysfs.groupMembers(gpu.iommuGroup())) {
                sysfs.read(member).ifPresent(members::add);
            }
        }
        return Card.of(gpu, members);
    }

    private Gpu toWire(Card card) {
        PciDevice gpu = card.gpu();
        Optional<GpuLeases.Holder> holder = leases.holder(groupKey(card));
        String job = holder.filter(GpuLeases.ForJob.class::isInstance).map(GpuLeases.ForJob.class::cast)
                .map(lent -> Long.toString(lent.jobId())).orElse(null);
        boolean quarantined = holder.filter(GpuLeases.Quarantined.class::isInstance).isPresent();
        boolean changing = holder.isPresent() && job == null && !quarantined;
        GpuMode mode = changing ? GpuMode.CHANGING
                : VFIO_DRIVER.equals(gpu.driver()) ? GpuMode.VFIO
                : gpu.driver() == null ? GpuMode.UNBOUND : GpuMode.HOST;
        List<Blocker> blockers = new ArrayList<>();
        if (changing || job != null) {
            blockers.add(new Blocker(Refusal.BUSY, job != null ? "in use by job " + job
                    : holder.get() instanceof GpuLeases.Stuck ? "the kernel is stuck on this card"
                    : "a change is in progress",
                    job != null ? "Wait for the job to finish." : null));
        }
        if (quarantined) {
            blockers.add(busy(gpu.bdf(), holder.get()));
        }
        if (mode != GpuMode.VFIO && !changing) {
            blockers.addAll(preflight.toVfio(card));
        }
        List<Gpu.GroupDevice> peers = card.members().stream()
                .filter(d -> !d.bdf().equals(gpu.bdf()))
                .map(d -> new Gpu.GroupDevice(d.bdf().value(), d.vendorId(), d.deviceId(),
                        names.device(d.vendorId(), d.deviceId()), d.pciClass(), d.driver(), d.role().wire()))
                .toList();
        Gpu.Link link = gpu.linkSpeed() == null && gpu.linkWidth() == null ? null
                : new Gpu.Link(gpu.linkSpeed(), gpu.linkWidth());
        String driverName = names.knows(gpu.vendorId(), gpu.deviceId()) ? null : liveName.apply(gpu.bdf().value());
        return decorator.apply(new Gpu(gpu.bdf().value(), gpu.vendorId(), gpu.deviceId(), names.vendor(gpu.vendorId()),
                driverName != null ? driverName : names.device(gpu.vendorId(), gpu.deviceId()), gpu.pciClass(), gpu.driver(), mode.wire(), gpu.iommuGroup(),
                gpu.bootVga(), gpu.numaNode(), link, peers, new Gpu.Passthrough(blockers.isEmpty(), blockers), job, null,
                gate == null ? null : gate.health(gpu.bdf().value()).orElse(null)));
    }

    private static String groupKey(Card card) {
        return GpuLeases.key(card.gpu().iommuGroup(), card.gpu().bdf().slot());
    }

    private DomainException refuse(String caller, GpuMode mode, Bdf bdf, Blocker blocker) {
        audit.record(caller, "gpu.mode " + mode, bdf.value(), "refused", blocker.code() + ": " + blocker.detail());
        return Refusal.toException(blocker);
    }

    /** One refusal for several blockers: the first one's code, every detail and remedy. */
    static Blocker combine(List<Blocker> blockers) {
        if (blockers.size() == 1) {
            return blockers.get(0);
        }
        return new Blocker(blockers.get(0).code(),
                blockers.stream().map(Blocker::detail).collect(Collectors.joining("; ")),
                blockers.stream().map(Blocker::remedy).filter(r -> r != null).distinct()
                        .collect(Collectors.joining(" ")));
    }

    private static String movedText(Card card) {
        return card.movable().stream().map(d -> d.bdf().value()).collect(Collectors.joining(", "));
    }

    private void journalQuietly(Bdf bdf, PciDevice device, GpuMode mode) {
        try {
            journal.put(bdf, device.vendorId(), device.deviceId(), mode);
        } catch (SQLException e) {
            LOG.warning("cannot update the mode journal for " + bdf + ": " + e.getMessage());
        }
    }

    private void forget(Bdf bdf) {
        try {
            journal.remove(bdf);
        } catch (SQLException e) {
            LOG.warning("cannot update the mode journal for " + bdf + ": " + e.getMessage());
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warning("inventory refresh failed: " + e.getMessage());
        }
    }
}
