package org.rigdesk.daemon.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.RunnerRegistration;

/** Which slot a job's runs-on reaches under each GPU-slot rule, by GitHub's rule: every asked label on the runner. */
class RunnerLabelsTest {

    private static final List<String> CPU = RunnerLabels.cpuSlot(List.of("whisper"));

    private static List<String> gpu(String rule) {
        return RunnerLabels.gpuSlot(List.of("whisper"), "NVIDIA GeForce RTX 3060", 12288, rule, List.of());
    }

    @Test
    void byDefaultGpuSlotsTakeOnlyJobsThatAskForAGpu() {
        List<String> gpu = gpu(RunnerRegistration.GPU_JOBS);
        assertEquals(List.of("self-hosted", "gpu", "gpu-rtx-3060", "gpu-12gb", "whisper"), gpu);
        assertFalse(RunnerLabels.matches(List.of("self-hosted", "linux"), gpu), "a lint job never takes the card");
        assertFalse(RunnerLabels.matches(List.of("self-hosted", "rigdesk"), gpu));
        assertTrue(RunnerLabels.matches(List.of("self-hosted", "linux"), CPU));
        assertTrue(RunnerLabels.matches(List.of("self-hosted", "GPU"), gpu), "labels match whatever their case");
        assertTrue(RunnerLabels.matches(List.of("gpu-12gb", "whisper"), gpu));
        assertFalse(RunnerLabels.matches(List.of("self-hosted", "gpu"), CPU), "a GPU job never lands on a CPU slot");
        assertTrue(RunnerLabels.matches(List.of("self-hosted"), gpu), "a bare self-hosted matches every runner on GitHub");
    }

    @Test
    void anImageWithADriverAddsItsDriverAndCudaToGpuSlots() {
        List<String> gpu = RunnerLabels.gpuSlot(List.of(), "NVIDIA GeForce RTX 3060", 12288, RunnerRegistration.GPU_JOBS,
                List.of("nvidia-580", "cuda-13.0"));
        assertEquals(List.of("self-hosted", "gpu", "gpu-rtx-3060", "gpu-12gb", "nvidia-580", "cuda-13.0"), gpu);
        assertTrue(RunnerLabels.matches(List.of("self-hosted", "gpu", "cuda-13.0"), gpu));
        assertFalse(RunnerLabels.matches(List.of("self-hosted", "gpu", "cuda-13.1"), gpu), "a newer CUDA is not there");
    }

    @Test
    void strictDropsSelfHostedAndAnyKeepsTheOldLabels() {
        List<String> strict = gpu(RunnerRegistration.GPU_JOBS_STRICT);
        assertFalse(strict.contains("self-hosted"), strict.toString());
        assertFalse(RunnerLabels.matches(List.of("self-hosted"), strict));
        assertTrue(RunnerLabels.matches(List.of("gpu"), strict));
        List<String> any = gpu(RunnerRegistration.ANY_JOBS);
        assertTrue(any.containsAll(RunnerLabels.BASE), any.toString());
        assertTrue(RunnerLabels.matches(List.of("self-hosted", "linux"), any));
    }

    @Test
    void theReachSaysWhichRunsOnReachesWhichSlot() {
        List<String> byDefault = RunnerLabels.reach(RunnerRegistration.GPU_JOBS, List.of(), true);
        assertTrue(byDefault.stream().anyMatch(l -> l.startsWith("runs-on: self-hosted alone → any slot")), byDefault.toString());
        assertTrue(byDefault.stream().anyMatch(l -> l.contains("[self-hosted, linux]") && l.contains("never a GPU")));
        List<String> strict = RunnerLabels.reach(RunnerRegistration.GPU_JOBS_STRICT, List.of(), false);
        assertTrue(strict.stream().anyMatch(l -> l.startsWith("runs-on: self-hosted alone → no slot")), strict.toString());
    }
}
