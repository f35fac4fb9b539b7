package org.rigdesk.app.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.LendingState;
import org.rigdesk.api.wire.RunnerState;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.api.wire.SlotState;
import org.rigdesk.app.connection.ConnectionState;
import org.rigdesk.app.testing.InMemoryRigdesk;

/**
 * The one vocabulary: every state of the typed contract (job, slot, runner, lending, GPU mode,
 * connection) has words, an icon and a tone; the same state reads the same wherever it shows; and
 * colour is never the only cue (a good and a bad end differ in shape too).
 */
class VocabularyTest {

    private static List<Look> everyLook() {
        List<Look> looks = new ArrayList<>();
        for (JobState state : JobState.values()) {
            looks.add(Vocabulary.job(state));
        }
        for (SlotState state : SlotState.values()) {
            looks.add(Vocabulary.slot(state));
        }
        for (RunnerState state : RunnerState.values()) {
            looks.add(Vocabulary.runner(state));
        }
        for (LendingState state : LendingState.values()) {
            looks.add(Vocabulary.lending(state));
        }
        for (GpuMode mode : GpuMode.values()) {
            looks.add(Vocabulary.mode(mode));
        }
        for (ConnectionState state : ConnectionState.values()) {
            looks.add(Vocabulary.connection(state));
        }
        return looks;
    }

    @Test
    void everyStateOfTheContractHasWordsAnIconAToneAndItsTerm() {
        List<Look> looks = everyLook();
        assertEquals(JobState.values().length + SlotState.values().length + RunnerState.values().length
                + LendingState.values().length + GpuMode.values().length + ConnectionState.values().length, looks.size());
        for (Look look : looks) {
            assertFalse(look.words().isBlank(), look.toString());
            assertFalse(look.icon().isBlank(), look.toString());
            assertFalse(look.term().isBlank(), look.toString());
            assertTrue(look.tone() != null, look.toString());
            // Owner words, not plumbing: the technical terms stay in the tooltip.
            for (String plumbing : List.of("vfio", "VFIO", "Host", "host driver")) {
                assertFalse(look.words().contains(plumbing), plumbing + " in " + look);
            }
        }
        // Within one kind of thing, no two states read alike.
        assertDistinct(JobState.values(), s -> Vocabulary.job((JobState) s).words());
        assertDistinct(SlotState.values(), s -> Vocabulary.slot((SlotState) s).words());
        assertDistinct(RunnerState.values(), s -> Vocabulary.runner((RunnerState) s).words());
        assertDistinct(LendingState.values(), s -> Vocabulary.lending((LendingState) s).words());
    }

    private static void assertDistinct(Object[] states, java.util.function.Function<Object, String> words) {
        Map<String, List<Object>> byWords = java.util.Arrays.stream(states).collect(Collectors.groupingBy(words));
        byWords.forEach((text, same) -> assertEquals(1, same.size(), same + " all read \"" + text + "\""));
    }

    @Test
    void anIdleRunnerReadsTheSameEverywhere() {
        assertEquals(Vocabulary.WAITING_FOR_A_JOB, Vocabulary.job(JobState.READY).words());
        assertEquals(Vocabulary.WAITING_FOR_A_JOB, Vocabulary.slot(SlotState.IDLE).words());
        Job ready = InMemoryRigdesk.job(7, JobState.READY.wire(), List.of("0000:01:00.0"));
        Look card = Vocabulary.gpu(InMemoryRigdesk.gpu("0000:01:00.0", "RTX 3060", GpuMode.VFIO, "7"), ready);
        assertEquals("Lent to CI · waiting for a job", card.words());
        assertEquals(Vocabulary.slot(SlotState.IDLE).tone(), card.tone());
        assertEquals(Vocabulary.job(JobState.READY).icon(), card.icon());
        assertTrue(card.term().contains("vfio-pci"), "the technical term stays reachable: " + card.term());
    }

    @Test
    void goodAndBadEndsDifferInShapeNotOnlyColour() {
        Set<String> icons = Set.of(Vocabulary.job(JobState.SUCCEEDED).icon(), Vocabulary.job(JobState.FAILED).icon(),
                Vocabulary.job(JobState.RUNNING).icon(), Vocabulary.job(JobState.QUEUED).icon(),
                Vocabulary.job(JobState.CANCELLED).icon(), Vocabulary.job(JobState.LOST).icon());
        assertEquals(6, icons.size(), icons.toString());
        assertEquals(Tone.GOOD, Vocabulary.job(JobState.SUCCEEDED).tone());
        assertEquals(Tone.BAD, Vocabulary.job(JobState.FAILED).tone());
        assertEquals(Tone.BAD, Vocabulary.job(JobState.TIMED_OUT).tone());
        assertNotEquals(Vocabulary.runner(RunnerState.READY).icon(), Vocabulary.runner(RunnerState.CANNOT_REACH_GITHUB).icon());
    }

    @Test
    void aGpuCardSaysWhoHasItAndWhereItIsGoing() {
        String bdf = "0000:01:00.0";
        Job running = new Job(12, Job.KIND_GITHUB, "test", JobState.RUNNING.wire(), List.of(bdf), false, "qemu", "tcg", 1, 256, 60,
                null, null, null, null, 0, null, "octo/gpu-ci", "CI", "test", 42L, 1);
        assertEquals("Running job #12 · octo/gpu-ci",
                Vocabulary.gpu(InMemoryRigdesk.gpu(bdf, "RTX 3060", GpuMode.VFIO, "12"), running).words());
        assertEquals("Running job #12", Vocabulary.gpu(InMemoryRigdesk.gpu(bdf, "RTX 3060", GpuMode.VFIO, "12"), null)
                .words(), "a job the app has not seen yet");
        assertEquals("On my desk", Vocabulary.gpu(InMemoryRigdesk.gpu(bdf, "RTX 3060", GpuMode.HOST, null), null).words());
        assertEquals("Lent to CI", Vocabulary.gpu(InMemoryRigdesk.gpu(bdf, "RTX 3060", GpuMode.VFIO, null), null).words());
        assertEquals("Moving…", Vocabulary.gpu(InMemoryRigdesk.gpu(bdf, "RTX 3060", GpuMode.CHANGING, null), null).words());
        assertEquals("Needs a look", Vocabulary.gpu(InMemoryRigdesk.gpu(bdf, "RTX 3060", GpuMode.UNBOUND, null), null)
                .words());
        Gpu lent = InMemoryRigdesk.gpu(bdf, "RTX 3060", GpuMode.VFIO, null);
        Gpu sick = new Gpu(lent.bdf(), lent.vendorId(), lent.deviceId(), lent.vendor(), lent.name(), lent.pciClass(),
                lent.driver(), lent.mode(), lent.iommuGroup(), false, 0, null, List.of(), lent.passthrough(), null, null,
                new Gpu.Health(false, "2026-12-06T03:00:00Z", List.of(new Gpu.Blocker("unhealthy",
                        "it is stuck in D3cold (powered off)", "Reboot the host"))));
        Look quarantined = Vocabulary.gpu(sick, null);
        assertEquals("Quarantined", quarantined.words());
        assertEquals(Tone.BAD, quarantined.tone());
        assertTrue(quarantined.term().contains("it is stuck in D3cold (powered off)")
                && quarantined.term().contains("rigdesk gpu check " + bdf), quarantined.term());
        Gpu onDesk = InMemoryRigdesk.gpu(bdf, "RTX 3060", GpuMode.HOST, null);
        assertEquals("On my desk · lent on demand", Vocabulary.gpu(onDesk.withLending(
                InMemoryRigdesk.lending("on-demand", "standby", "On demand: on the host until a job asks")), null).words());
        assertEquals("Needs a look", Vocabulary.gpu(onDesk.withLending(
                InMemoryRigdesk.lending("ci", "blocked", "Wanted for CI, but refused")), null).words());
        Gpu coming = InMemoryRigdesk.gpu(bdf, "RTX 3060", GpuMode.VFIO, null)
                .withLending(InMemoryRigdesk.lending("desk", "returning", "Coming back to your desk"));
        assertEquals("Coming back to my desk…", Vocabulary.gpu(coming, null).words());
        assertEquals(Tone.MOVING, Vocabulary.gpu(coming, null).tone());
    }

    @Test
    void aSlotRunningAJobNamesItAndAnUnknownStateReadsAsItself() {
        RunnerStatus.Slot busy = new RunnerStatus.Slot("gpu-0", "gpu", "0000:01:00.0", "busy", "r", 1L, 9L, null, null,
                List.of());
        assertEquals("Running job #9", Vocabulary.slot(busy).words());
        RunnerStatus.Slot novel = new RunnerStatus.Slot("gpu-0", "gpu", null, "hibernating", "r", 1L, null, null, null,
                List.of());
        assertEquals("hibernating", Vocabulary.slot(novel).words());
        assertEquals(Tone.WARN, Vocabulary.slot(novel).tone());
    }

    @Test
    void everyToneHasItsStyleInTheStylesheet() throws Exception {
        String css = new String(getClass().getResourceAsStream("/org/rigdesk/app/shell/rigdesk.css").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        for (Tone tone : Tone.values()) {
            assertTrue(css.contains("." + tone.styleClass()), tone.styleClass() + " has no rule");
        }
    }
}
