package org.rigdesk.app.gpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.GpuMode;
import org.rigdesk.api.wire.GpuSample;
import org.rigdesk.api.wire.Json;
import org.rigdesk.api.wire.TelemetryHistory;
import org.rigdesk.api.wire.TelemetryStatus;
import org.rigdesk.app.ui.Dialogs;
import org.rigdesk.app.ui.EventDispatcher;
import org.rigdesk.app.testing.InMemoryRigdesk;

/** The GPUs page's model against the contract held in memory: no daemon, no FX thread. */
class GpusViewModelTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    static GpuSample sample(String bdf, double load, Instant at) {
        return new GpuSample(bdf, 0, "GPU-1", "RTX 3060", "580.1", 50.0, load, 10.0, 12288.0, 2048.0, 80.0, 170.0,
                40.0, 1500.0, "P2", GpuSample.HOST, at, 0L);
    }

    @Test
    void loadsACardPerGpuWithTheLatestSampleAndTheLastMinute() {
        InMemoryRigdesk api = new InMemoryRigdesk()
                .with(InMemoryRigdesk.gpu("0000:01:00.0", "RTX 3060", GpuMode.HOST, null))
                .with(InMemoryRigdesk.gpu("0000:02:00.0", "RTX 3060", GpuMode.VFIO, null));
        api.telemetry = new TelemetryStatus(TelemetryStatus.OK, null, 1000, List.of(sample("0000:01:00.0", 42, NOW)));
        TelemetryHistory.Values values = new TelemetryHistory.Values(30.0, 1.0, 40.0, 50.0);
        api.history.put("0000:01:00.0", new TelemetryHistory("0000:01:00.0", 60, "1s",
                List.of(new TelemetryHistory.Point(NOW.minusSeconds(2), values, values, values))));
        GpusViewModel model = new GpusViewModel(api, Runnable::run, Runnable::run, Dialogs.YES);

        model.reload();

        assertEquals(List.of("0000:01:00.0", "0000:02:00.0"), model.cards().stream().map(GpuCardViewModel::bdf).toList());
        assertEquals("", model.statusProperty().get());
        GpuCardViewModel first = model.cards().get(0);
        assertEquals(42.0, first.sampleProperty().get().utilizationGpu());
        assertEquals(List.of(30.0, 42.0), first.recentLoad(), "the minute's history, then the latest sample");
        assertTrue(api.calls.contains("history 0000:01:00.0 60"), api.calls.toString());
        assertTrue(api.calls.stream().noneMatch(call -> call.startsWith("history 0000:02:00.0")),
                "no history for a card the host cannot see: " + api.calls);
    }

    @Test
    void aGpuEventUpdatesItsCardInPlaceAndTheHolderShowsTheJobsState() throws Exception {
        InMemoryRigdesk api = new InMemoryRigdesk()
                .with(InMemoryRigdesk.gpu("0000:01:00.0", "RTX 3060", GpuMode.VFIO, null));
        GpusViewModel model = new GpusViewModel(api, Runnable::run, Runnable::run, Dialogs.YES);
        model.reload();
        GpuCardViewModel card = model.cards().get(0);

        String held = Json.mapper().writeValueAsString(InMemoryRigdesk.gpu("0000:01:00.0", "RTX 3060", GpuMode.VFIO, "7"));
        model.onEvents(List.of(new EventDispatcher.Received("gpu", held)));
        model.onJobs(List.of(InMemoryRigdesk.job(7, JobState.RUNNING.wire(), List.of("0000:01:00.0"))));

        assertSame(card, model.cards().get(0), "the same card, updated");
        assertEquals("7", card.gpuProperty().get().usedBy());
        assertEquals(JobState.RUNNING.wire(), card.holderProperty().get().state());
        assertEquals("Running job #7", card.look().words(), "a local job has no repository to name");
    }

    @Test
    void aMalformedEventChangesNothingAndNoGpusSaysWhy() {
        InMemoryRigdesk api = new InMemoryRigdesk();
        GpusViewModel model = new GpusViewModel(api, Runnable::run, Runnable::run, Dialogs.YES);
        model.reload();
        model.onEvents(List.of(new EventDispatcher.Received("gpu", "{not json")));
        model.onSamples(List.of(new EventDispatcher.Received("sample", "[]")));
        assertTrue(model.cards().isEmpty());
        assertTrue(model.statusProperty().get().startsWith("No GPUs found"), model.statusProperty().get());
    }
}
