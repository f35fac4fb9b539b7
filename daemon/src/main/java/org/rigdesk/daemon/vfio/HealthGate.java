package org.rigdesk.daemon.vfio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.ProblemCode;
import org.rigdesk.daemon.gpu.Bdf;
import org.rigdesk.daemon.gpu.PciHealth;
import org.rigdesk.daemon.gpu.SysfsReader;
import org.rigdesk.daemon.lease.GpuLeases;
import org.rigdesk.daemon.problems.DomainException;
import org.rigdesk.daemon.store.AuditStore;

/**
 * The GPU health gate: a card is checked from sysfs ({@link PciHealth}) before a job gets it and
 * after the job's VM ends, and reset between jobs through sysfs {@code reset} where the kernel can
 * reset it. A card that fails is quarantined in {@link GpuLeases} (no job gets it, no toggle
 * touches it) until a check the owner asks for ({@link #check}) passes. Each outcome is audited.
 */
public final class HealthGate {

    private static final Logger LOG = Logger.getLogger(HealthGate.class.getName());

    private final SysfsReader sysfs;
    private final GroupMover mover;
    private final GpuLeases leases;
    private final AuditStore audit;
    private final Map<String, Gpu.Health> last = new ConcurrentHashMap<>();
    private final Map<Long, Map<String, PciHealth.Aer>> baselines = new ConcurrentHashMap<>();
    private volatile Runnable lifted = () -> { };

    public HealthGate(SysfsReader sysfs, GroupMover mover, GpuLeases leases, AuditStore audit) {
        this.sysfs = sysfs;
        this.mover = mover;
        this.leases = leases;
        this.audit = audit;
    }

    /** Told when a quarantine is lifted (the scheduler: a job may be waiting for that card). */
    public void onLifted(Runnable listener) {
        this.lifted = listener;
    }

    /** The card's last check, if it had one. */
    public Optional<Gpu.Health> health(String bdf) {
        return Optional.ofNullable(last.get(bdf));
    }

    /**
     * Before job {@code jobId} gets the cards ({@code groups}: bdf → its group, lent to the job
     * already): each is checked and its AER totals noted. Returns false when one failed: that one
     * is quarantined, and the caller gives the job's other groups back.
     */
    public boolean admit(long jobId, Map<String, String> groups) {
        Map<String, PciHealth.Aer> aer = new HashMap<>();
        boolean healthy = true;
        for (Map.Entry<String, String> card : groups.entrySet()) {
            PciHealth now = PciHealth.read(sysfs.device(Bdf.parse(card.getKey())));
            List<Gpu.Blocker> problems = now.problems(null);
            if (!outcome(card.getKey(), card.getValue(), problems, "before job " + jobId)) {
                healthy = false;
            }
            aer.put(card.getKey(), now.aer());
        }
        if (healthy) {
            baselines.put(jobId, aer);
        }
        return healthy;
    }

    /**
     * Job {@code jobId}'s VM has ended: each card is checked against its totals when the job got
     * it, reset where the kernel can, and checked again; what the guest reported it saw
     * ({@code guest}: Xids, memory faults, for every card of the job: the guest's addresses are not
     * the host's) counts too. A card that fails is quarantined (its group stays out of the job's
     * hands and everyone else's), the caller gives the rest back.
     */
    public void afterJob(long jobId, Map<String, String> groups, List<Gpu.Blocker> guest) {
        Map<String, PciHealth.Aer> taken = baselines.remove(jobId);
        Map<String, PciHealth.Aer> before = taken == null ? Map.of() : taken;
        for (Map.Entry<String, String> card : groups.entrySet()) {
            if (!leases.holder(card.getValue()).equals(Optional.of(new GpuLeases.ForJob(jobId)))) {
                continue; // not this job's (any more): never reset a card another holder has
            }
            Bdf bdf = Bdf.parse(card.getKey());
            Path dir = sysfs.device(bdf);
            PciHealth ended = PciHealth.read(dir);
            List<Gpu.Blocker> problems = new ArrayList<>(ended.problems(before.get(card.getKey())));
            if (problems.isEmpty() && !ended.noReset() && Files.exists(dir.resolve("reset"))) {
                Optional<Gpu.Blocker> failed = reset(dir, card.getValue(), "its reset between jobs");
                failed.ifPresent(problems::add);
                if (failed.isEmpty()) {
                    problems.addAll(PciHealth.read(dir).problems(ended.aer()));
                }
            }
            problems.addAll(guest);
            outcome(card.getKey(), card.getValue(), problems, "after job " + jobId);
        }
    }

    /** The owner asks: the card is checked now; its quarantine is lifted when it passes. */
    public Gpu.Health check(String bdf, String group, String caller) {
        return check(bdf, group, caller, List.of());
    }

    /**
     * The owner asks for a function reset first (a card on vfio-pci, the caller has seen to that):
     * only of a card no one holds (taken for the reset, so no job is granted it meanwhile) or a
     * quarantined one; then it is checked as {@link #check} does, a failed reset among its problems.
     */
    public Gpu.Health resetAndCheck(String bdf, String group, String caller) {
        boolean quarantined = leases.holder(group).filter(GpuLeases.Quarantined.class::isInstance).isPresent();
        if (!quarantined) {
            leases.beginChange(group).ifPresent(holder -> {
                throw holder instanceof GpuLeases.ForJob job
                        ? DomainException.refused(ProblemCode.IN_USE, "job " + job.jobId() + " holds " + bdf,
                                "Reset it once the job has ended (it is reset between jobs anyway).")
                        : holder instanceof GpuLeases.Stuck
                        ? DomainException.refused(ProblemCode.STUCK, "the kernel never finished a write for " + bdf,
                                "Reboot the host to recover the card.")
                        : DomainException.refused(ProblemCode.BUSY, bdf + " is being moved", "Try again in a moment.");
            });
        }
        Path dir = sysfs.device(Bdf.parse(bdf));
        Optional<Gpu.Blocker> failed;
        try {
            if (!Files.exists(dir.resolve("reset"))) {
                throw DomainException.refused(ProblemCode.UNHEALTHY, "the kernel has no reset for " + bdf
                        + " (sysfs offers no reset method)", "Reboot the host to bring the card back clean.");
            }
            failed = reset(dir, group, "its reset");
        } finally {
            leases.endChange(group);
        }
        boolean stuck = leases.holder(group).filter(GpuLeases.Stuck.class::isInstance).isPresent();
        audit.record(caller, "gpu.reset", bdf, failed.isEmpty() ? "ok" : stuck ? "stuck" : "failed",
                failed.map(Gpu.Blocker::detail).orElse(null));
        return check(bdf, group, caller, failed.stream().toList());
    }

    /**
     * A function reset of the card at {@code dir} ({@code what}: how the problem names it); the
     * problem when it failed, its group marked stuck when the kernel never returned.
     */
    private Optional<Gpu.Blocker> reset(Path dir, String group, String what) {
        try {
            mover.reset(dir);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(new Gpu.Blocker(ProblemCode.UNHEALTHY, what + " failed: " + e.getMessage(),
                    "Reboot the host to bring the card back clean."));
        } catch (GroupMover.StuckException e) {
            leases.markStuck(group);
            return Optional.of(new Gpu.Blocker(ProblemCode.UNHEALTHY, what + " never returned: " + e.getMessage(),
                    "Reboot the host to recover the card."));
        }
    }

    private Gpu.Health check(String bdf, String group, String caller, List<Gpu.Blocker> before) {
        List<Gpu.Blocker> problems = new ArrayList<>(before);
        problems.addAll(PciHealth.read(sysfs.device(Bdf.parse(bdf))).problems(null));
        Gpu.Health health = note(bdf, problems);
        audit.record(caller, "gpu.check", bdf, problems.isEmpty() ? "ok" : "unhealthy", summary(problems));
        boolean wasQuarantined = leases.holder(group).filter(GpuLeases.Quarantined.class::isInstance).isPresent();
        if (!problems.isEmpty()) {
            leases.quarantine(group, summary(problems));
        } else if (wasQuarantined) {
            leases.lift(group);
            lifted.run();
        }
        return health;
    }

    /** Notes a check; quarantines the card's group when it failed. Returns whether it passed. */
    private boolean outcome(String bdf, String group, List<Gpu.Blocker> problems, String when) {
        note(bdf, problems);
        if (problems.isEmpty()) {
            return true;
        }
        leases.quarantine(group, summary(problems));
        audit.record("rigdeskd", "gpu.quarantine", bdf, "unhealthy", when + ": " + summary(problems));
        LOG.warning("GPU " + bdf + " quarantined " + when + ": " + summary(problems));
        return false;
    }

    private Gpu.Health note(String bdf, List<Gpu.Blocker> problems) {
        Gpu.Health health = new Gpu.Health(problems.isEmpty(), Instant.now().toString(), problems);
        last.put(bdf, health);
        return health;
    }

    static String summary(List<Gpu.Blocker> problems) {
        return problems.stream().map(Gpu.Blocker::detail).collect(Collectors.joining("; "));
    }
}
