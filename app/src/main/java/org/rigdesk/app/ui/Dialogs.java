package org.rigdesk.app.ui;

/**
 * What a view-model asks the person before it acts. The window answers with a dialog
 * ({@link FxDialogs}); a test answers for the person.
 */
public interface Dialogs {

    /**
     * A question before an action: its dialog's node id, the question, what the action does, and
     * its two buttons as verbs: {@code go} does it ("Cancel job"), {@code stay} leaves things as
     * they are ("Keep running").
     */
    record Confirmation(String id, String question, String consequences, String go, String stay) {
    }

    /** A local job as the person filled it in. */
    record JobForm(String script, int gpus, int cpus, int memoryMiB) {
    }

    /** A lending schedule as the person wrote it: windows in the short form ("mon-fri 19:00-08:00 ci"). */
    record ScheduleForm(java.util.List<String> windows, int idleSeconds) {
    }

    /** Asks, and waits for the answer (on the UI thread): true when the person goes ahead. */
    boolean confirm(Confirmation confirmation);

    /** Asks for a local job to run; empty when the person cancels. */
    java.util.Optional<JobForm> askForJob();

    /** Asks for a GPU's lending schedule, starting from {@code current}; empty when the person cancels. */
    default java.util.Optional<ScheduleForm> askForSchedule(String gpu, ScheduleForm current) {
        return java.util.Optional.empty();
    }

    /** Answers yes to every question and runs no job, for tests and scripted runs. */
    Dialogs YES = answering(question -> true, null);

    /** Answers questions with {@code answers} and the job form with {@code job} (null: cancelled). */
    static Dialogs answering(java.util.function.Predicate<Confirmation> answers, JobForm job) {
        return answering(answers, job, null);
    }

    /** As above, and fills in the schedule form with {@code schedule} (null: cancelled). */
    static Dialogs answering(java.util.function.Predicate<Confirmation> answers, JobForm job, ScheduleForm schedule) {
        return new Dialogs() {
            @Override
            public java.util.Optional<ScheduleForm> askForSchedule(String gpu, ScheduleForm current) {
                return java.util.Optional.ofNullable(schedule);
            }

            @Override
            public boolean confirm(Confirmation confirmation) {
                return answers.test(confirmation);
            }

            @Override
            public java.util.Optional<JobForm> askForJob() {
                return java.util.Optional.ofNullable(job);
            }
        };
    }
}
