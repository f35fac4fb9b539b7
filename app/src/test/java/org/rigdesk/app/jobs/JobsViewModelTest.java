package org.rigdesk.app.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.Json;
import org.rigdesk.api.wire.Problem;
import org.rigdesk.app.ui.Dialogs;
import org.rigdesk.app.ui.EventDispatcher;
import org.rigdesk.app.testing.InMemoryRigdesk;

/** The jobs table's model: newest first, updated in place by events, filtered by state. */
class JobsViewModelTest {

    private static EventDispatcher.Received event(String type, Job job) throws Exception {
        return new EventDispatcher.Received(type, Json.mapper().writeValueAsString(job));
    }

    @Test
    void listsNewestFirstAndEventsUpdateRowsInPlace() throws Exception {
        InMemoryRigdesk api = new InMemoryRigdesk().with(InMemoryRigdesk.job(1, JobState.SUCCEEDED.wire(), List.of()))
                .with(InMemoryRigdesk.job(2, JobState.RUNNING.wire(), List.of()));
        JobsViewModel model = new JobsViewModel(api, Runnable::run, Runnable::run, Dialogs.YES);
        model.reload();
        assertEquals(List.of(2L, 1L), model.all().stream().map(Job::id).toList());
        assertTrue(api.calls.contains("jobs null 200"), api.calls.toString());

        model.onEvents(List.of(event("job", InMemoryRigdesk.job(2, JobState.FAILED.wire(), List.of())),
                event("job", InMemoryRigdesk.job(3, JobState.QUEUED.wire(), List.of()))));
        assertEquals(List.of(3L, 2L, 1L), model.all().stream().map(Job::id).toList());
        assertEquals(JobState.FAILED.wire(), model.all().get(1).state());

        model.filterProperty().set(JobState.FAILED.wire());
        assertEquals(List.of(2L), model.shown().stream().map(Job::id).toList());
        model.filterProperty().set(JobsViewModel.ALL);
        assertEquals(3, model.shown().size());
    }

    @Test
    void aRemovedRunnerVmLeavesTheTableAndTheSelection() throws Exception {
        InMemoryRigdesk api = new InMemoryRigdesk().with(InMemoryRigdesk.job(4, JobState.READY.wire(), List.of()));
        JobsViewModel model = new JobsViewModel(api, Runnable::run, Runnable::run, Dialogs.YES);
        model.reload();
        model.selectedProperty().set(model.all().get(0));
        model.onRemoved(List.of(event("job-removed", InMemoryRigdesk.job(4, JobState.CANCELLED.wire(), List.of()))));
        assertTrue(model.all().isEmpty());
        assertNull(model.selectedProperty().get());
    }

    @Test
    void runAndCancelGoThroughTheContractAndARefusalIsShownWithItsRemedy() {
        InMemoryRigdesk api = new InMemoryRigdesk();
        JobsViewModel model = new JobsViewModel(api, Runnable::run, Runnable::run, Dialogs.YES);
        List<Job> started = new ArrayList<>();

        model.run("nvidia-smi", 1, 2, 1024, started::add);
        assertEquals(1, started.size());
        assertTrue(api.calls.contains("submit nvidia-smi gpus=1"), api.calls.toString());
        model.cancel(started.get(0));
        assertEquals(JobState.CANCELLED.wire(), model.all().get(0).state());

        api.refuseNext = Problem.of(409, "not-enough-gpus", "Not enough GPUs",
                "the job asks for 1 GPU(s), but 0 are in passthrough mode", "Move more GPUs to vfio");
        model.run("nvidia-smi", 1, 2, 1024, started::add);
        assertEquals(1, started.size(), "a refused job is not started");
        assertTrue(model.messageProperty().get().endsWith(" — Move more GPUs to vfio"), model.messageProperty().get());
    }

    @Test
    void cancellingTheSelectedJobAsksFirst() {
        InMemoryRigdesk api = new InMemoryRigdesk().with(InMemoryRigdesk.job(5, JobState.RUNNING.wire(), List.of()));
        List<String> asked = new ArrayList<>();
        boolean[] answer = {false};
        JobsViewModel model = new JobsViewModel(api, Runnable::run, Runnable::run, Dialogs.answering(question -> {
            asked.add(question.question() + " [" + question.stay() + " | " + question.go() + "]");
            return answer[0];
        }, null));
        model.reload();
        model.selectedProperty().set(model.all().get(0));
        model.cancelSelected();
        assertEquals(List.of("Cancel job #5 (job 5)? [Keep running | Cancel job]"), asked, "buttons are verbs");
        assertTrue(api.calls.stream().noneMatch(call -> call.startsWith("cancel")), api.calls.toString());
        answer[0] = true;
        model.cancelSelected();
        assertTrue(api.calls.contains("cancel 5"), api.calls.toString());
        assertEquals(JobState.CANCELLED.wire(), model.all().get(0).state());
    }

    @Test
    void aJobFromTheRunDialogIsSubmittedAndSelected() {
        InMemoryRigdesk api = new InMemoryRigdesk();
        JobsViewModel model = new JobsViewModel(api, Runnable::run, Runnable::run,
                Dialogs.answering(question -> true, new Dialogs.JobForm("nvidia-smi", 1, 2, 1024)));
        model.runFromDialog();
        assertEquals(List.of("submit nvidia-smi gpus=1"), api.calls.stream().filter(c -> c.startsWith("submit")).toList());
        assertEquals(1L, model.selectedProperty().get().id());
        JobsViewModel cancelled = new JobsViewModel(api, Runnable::run, Runnable::run, Dialogs.YES);
        cancelled.runFromDialog();
        assertEquals(1, api.jobs.size(), "a cancelled form submits nothing");
    }
}
