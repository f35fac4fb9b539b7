package org.rigdesk.app.gpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.GpuSample;
import org.rigdesk.api.wire.Problem;
import org.rigdesk.app.ui.Dialogs;
import org.rigdesk.app.testing.InMemoryRigdesk;

/** One card's model: the toggle's progress and outcome, the readings and the one-minute sparkline. */
class GpuCardViewModelTest {

    private static final String BDF = "0000:01:00.0";

    @Test
    void aToggleShowsProgressThenTheNewMode() {
        InMemoryRigdesk api = new InMemoryRigdesk().with(InMemoryRigdesk.gpu(BDF, "RTX 3060", GpuMode.HOST, null));
        List<Runnable> background = new ArrayList<>();
        GpuCardViewModel card = new GpuCardViewModel(api.gpus.get(BDF), api, background::add, Runnable::run, Dialogs.YES);

        card.requestMode(GpuMode.VFIO);
        assertTrue(card.workingProperty().get(), "working until the daemon answers");
        background.forEach(Runnable::run);

        assertFalse(card.workingProperty().get());
        assertEquals(GpuMode.VFIO.wire(), card.gpuProperty().get().mode());
        assertEquals(List.of("mode " + BDF + " vfio"), api.calls);
        assertEquals("", card.problemProperty().get());
    }

    @Test
    void aRefusalShowsTheDaemonsReasonAndRemedyAndTheCardStaysWhereItIs() {
        InMemoryRigdesk api = new InMemoryRigdesk().with(InMemoryRigdesk.gpu(BDF, "RTX 3060", GpuMode.HOST, null));
        api.refuseNext = Problem.of(409, "in-use", "GPU in use", "process 4242 (Xorg) holds /dev/nvidia0",
                "Stop the process, or move the display to another GPU.");
        GpuCardViewModel card = new GpuCardViewModel(api.gpus.get(BDF), api, Runnable::run, Runnable::run, Dialogs.YES);

        card.requestMode(GpuMode.VFIO);

        assertFalse(card.workingProperty().get());
        assertEquals(GpuMode.HOST.wire(), card.gpuProperty().get().mode());
        assertTrue(card.problemProperty().get().contains("process 4242 (Xorg) holds /dev/nvidia0"),
                card.problemProperty().get());
        assertEquals("Stop the process, or move the display to another GPU.", card.remedyProperty().get());
        card.dismissProblem();
        assertEquals("", card.problemProperty().get());
        assertEquals("", card.remedyProperty().get());
    }

    @Test
    void lendingAsksTheDaemonForThePolicyAndShowsWhereTheCardIsNow() {
        InMemoryRigdesk api = new InMemoryRigdesk().with(InMemoryRigdesk.gpu(BDF, "RTX 3060", GpuMode.HOST, null)
                .withLending(InMemoryRigdesk.lending("desk", "desk", "On your desk")));
        GpuCardViewModel card = new GpuCardViewModel(api.gpus.get(BDF), api, Runnable::run, Runnable::run, Dialogs.YES);
        card.lend("on-demand");
        assertEquals("standby", card.gpuProperty().get().lending().state());
        card.lend("ci");
        assertEquals(GpuMode.VFIO.wire(), card.gpuProperty().get().mode());
        card.reclaim();
        assertEquals("desk", card.gpuProperty().get().lending().policy());
        assertEquals(List.of("lend " + BDF + " on-demand", "lend " + BDF + " ci", "reclaim " + BDF), api.calls);
    }

    @Test
    void aScheduleIsAskedForAndABadWindowIsShownWithoutAskingTheDaemon() {
        InMemoryRigdesk api = new InMemoryRigdesk().with(InMemoryRigdesk.gpu(BDF, "RTX 3060", GpuMode.HOST, null)
                .withLending(InMemoryRigdesk.lending("desk", "desk", "On your desk")));
        Dialogs bad = Dialogs.answering(q -> true, null, new Dialogs.ScheduleForm(List.of("weekdays 19:00-08:00"), 300));
        GpuCardViewModel card = new GpuCardViewModel(api.gpus.get(BDF), api, Runnable::run, Runnable::run, bad);
        assertTrue(card.lendOnSchedule());
        assertTrue(card.problemProperty().get().contains("'weekdays' is not a day"), card.problemProperty().get());
        assertTrue(api.calls.isEmpty(), "nothing was sent: " + api.calls);

        Dialogs good = Dialogs.answering(q -> true, null,
                new Dialogs.ScheduleForm(List.of("mon-fri 19:00-08:00 ci", "sat,sun 00:00-00:00 on-demand"), 600));
        card = new GpuCardViewModel(api.gpus.get(BDF), api, Runnable::run, Runnable::run, good);
        assertTrue(card.lendOnSchedule());
        assertEquals(List.of("lend " + BDF + " schedule"), api.calls);
        assertFalse(new GpuCardViewModel(api.gpus.get(BDF), api, Runnable::run, Runnable::run, Dialogs.YES)
                .lendOnSchedule(), "a cancelled form sends nothing");
    }

    @Test
    void cancellingTheJobForTheDeskIsAskedFirstWithTheCardNamed() {
        InMemoryRigdesk api = new InMemoryRigdesk().with(InMemoryRigdesk.gpu(BDF, "RTX 3060", GpuMode.VFIO, "12")
                .withLending(InMemoryRigdesk.lending("desk", "returning", "Coming back to your desk: waiting for job 12")));
        List<Dialogs.Confirmation> asked = new ArrayList<>();
        GpuCardViewModel no = new GpuCardViewModel(api.gpus.get(BDF), api, Runnable::run, Runnable::run,
                Dialogs.answering(q -> asked.add(q) && false, null));
        assertFalse(no.cancelJobAndReclaim());
        assertEquals("Cancel job #12 and take RTX 3060 (01:00.0) back now?", asked.get(0).question());
        assertTrue(api.calls.isEmpty());
        GpuCardViewModel yes = new GpuCardViewModel(api.gpus.get(BDF), api, Runnable::run, Runnable::run, Dialogs.YES);
        assertTrue(yes.cancelJobAndReclaim());
        assertEquals(List.of("reclaim " + BDF + " cancel"), api.calls);
    }

    @Test
    void samplesFillTheSparklineForOneMinuteOnly() {
        InMemoryRigdesk api = new InMemoryRigdesk().with(InMemoryRigdesk.gpu(BDF, "RTX 3060", GpuMode.HOST, null));
        GpuCardViewModel card = new GpuCardViewModel(api.gpus.get(BDF), api, Runnable::run, Runnable::run, Dialogs.YES);
        Instant start = Instant.parse("2026-12-01T10:00:00Z");
        for (int second = 0; second <= 90; second++) {
            card.accept(GpusViewModelTest.sample(BDF, second, start.plusSeconds(second)));
        }
        assertEquals(61, card.recentLoad().size(), "60 s back from the newest, both ends included");
        assertEquals(30.0, card.recentLoad().get(0));
        GpuCardViewModel.Gauge load = GpuCardViewModel.gauges(card.gpuProperty().get(), card.sampleProperty().get()).get(0);
        assertEquals(new GpuCardViewModel.Gauge("Load", 0.9, "90 %", true), load, "90 % runs high");
    }

    @Test
    void aCardInAVmSaysSoInsteadOfNumbers() {
        Gpu lent = InMemoryRigdesk.gpu(BDF, "RTX 3060", GpuMode.VFIO, "7");
        assertEquals(List.of(), GpuCardViewModel.gauges(lent, null));
        assertEquals("Readings are inside the job's VM while CI has it.", GpuCardViewModel.readingsNote(lent, null));
        GpuSample none = new GpuSample(BDF, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, GpuSample.NONE, null, null);
        Gpu onDesk = InMemoryRigdesk.gpu(BDF, "RTX 3060", GpuMode.HOST, null);
        assertEquals("No live readings: the host cannot read this GPU.", GpuCardViewModel.readingsNote(onDesk, none));
        assertEquals(List.of(), GpuCardViewModel.gauges(onDesk, none));
        Gpu quarantined = InMemoryRigdesk.gpu(BDF, "RTX 3060", GpuMode.VFIO, null).withHealth(new Gpu.Health(false,
                "2026-12-06T06:00:00Z", List.of(new Gpu.Blocker("unhealthy", "its link trained to x1 of x16", "Reseat it"))));
        assertEquals("Quarantined: no job gets it until rigdesk gpu check " + BDF + " passes.",
                GpuCardViewModel.readingsNote(quarantined, null), "not a job's readings: no job has it");
    }

    @Test
    void theSwitchAsksFirstNamingWhatMovesAndANoChangesNothing() {
        InMemoryRigdesk api = new InMemoryRigdesk().with(InMemoryRigdesk.gpu(BDF, "RTX 3060", GpuMode.HOST, null));
        List<Dialogs.Confirmation> asked = new ArrayList<>();
        GpuCardViewModel card = new GpuCardViewModel(api.gpus.get(BDF), api, Runnable::run, Runnable::run,
                Dialogs.answering(question -> asked.add(question) && false, null));

        assertFalse(card.toggle(GpuMode.VFIO));

        assertEquals(1, asked.size());
        assertEquals("confirm-mode", asked.get(0).id());
        assertEquals("Lend RTX 3060 (01:00.0) to CI?", asked.get(0).question(), "which of two alike, in owner words");
        assertEquals("Lend to CI", asked.get(0).go());
        assertEquals("Keep on my desk", asked.get(0).stay());
        assertTrue(asked.get(0).consequences().contains(BDF + "  RTX 3060 (gpu, nvidia)"), asked.get(0).consequences());
        assertTrue(api.calls.isEmpty(), "nothing asked of the daemon: " + api.calls);
        assertEquals(GpuMode.HOST.wire(), card.gpuProperty().get().mode());
    }
}
