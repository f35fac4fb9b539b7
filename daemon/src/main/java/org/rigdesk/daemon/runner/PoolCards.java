package org.rigdesk.daemon.runner;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuLending;
import org.rigdesk.api.wire.LendingState;
import org.rigdesk.daemon.image.JobImage;
import org.rigdesk.daemon.jobs.JobEngine;

/**
 * The host's cards as the runner pool sees them: looked up by address, with the labels a runner on
 * each would carry (GitHub matches jobs to runners by these) and what their lending says.
 */
final class PoolCards {

    private final Supplier<List<Gpu>> gpus;
    private final Function<String, Integer> memoryMiB;
    private final List<String> labels;
    private final String gpuSlotJobs;
    private final JobEngine jobs;

    PoolCards(Supplier<List<Gpu>> gpus, Function<String, Integer> memoryMiB, RunnerPool.Config config, JobEngine jobs) {
        this.gpus = gpus;
        this.memoryMiB = memoryMiB;
        this.labels = config.labels();
        this.gpuSlotJobs = config.gpuSlotJobs();
        this.jobs = jobs;
    }

    List<Gpu> all() {
        return gpus.get();
    }

    Gpu card(String bdf) {
        return gpus.get().stream().filter(g -> g.bdf().equals(bdf)).findFirst().orElse(null);
    }

    /** The labels of a runner on this card (none named: a GPU slot still waiting for one). */
    List<String> gpuLabels(String bdf) {
        Gpu card = card(bdf);
        return RunnerLabels.gpuSlot(labels, card == null ? null : card.name(), bdf == null ? null : memoryMiB.apply(bdf),
                gpuSlotJobs, JobImage.current(jobs.config().image()).gpuLabels());
    }

    List<String> cpuLabels() {
        return RunnerLabels.cpuSlot(labels);
    }

    /** The labels the slot's runner carries, or would carry once it has one. */
    List<String> of(Slot slot) {
        if (!slot.labels.isEmpty()) {
            return slot.labels;
        }
        return slot.gpu ? gpuLabels(slot.pinned) : cpuLabels();
    }

    /** How long a card lent on demand waits for its job before it goes back to the desk. */
    int idleSeconds(String bdf) {
        Gpu card = card(bdf);
        return card == null || card.lending() == null ? GpuLending.DEFAULT_IDLE_SECONDS : card.lending().idleSeconds();
    }

    /** Wanted for a job, but the owner's processes hold it. */
    static boolean blocked(Gpu card) {
        return card != null && card.lending() != null && LendingState.BLOCKED.wire().equals(card.lending().state());
    }

    static boolean lentAs(Gpu card, String lending) {
        return card.lending() != null && lending.equals(card.lending().effective());
    }
}
