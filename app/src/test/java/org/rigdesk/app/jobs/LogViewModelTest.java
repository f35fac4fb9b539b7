package org.rigdesk.app.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.rigdesk.app.testing.InMemoryRigdesk;

/** The log pane's model: a job's log read to its end in batches, capped, and stopped on request. */
class LogViewModelTest {

    /** The UI thread stands in as a queue the test drains. */
    private static final class Ui implements Executor {
        final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void drainUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!done.getAsBoolean()) {
                Runnable task = tasks.poll();
                if (task != null) {
                    task.run();
                } else if (System.nanoTime() > deadline) {
                    throw new AssertionError("the log did not end");
                } else {
                    Thread.sleep(5);
                }
            }
        }
    }

    @Test
    void readsTheWholeLogAndSaysWhenItEnds() throws Exception {
        InMemoryRigdesk api = new InMemoryRigdesk();
        api.logs.put(5L, "booting\nhello from the VM\ndone in 41.2 s\n");
        Ui ui = new Ui();
        LogViewModel log = new LogViewModel(api, ui);

        log.follow(5);
        ui.drainUntil(() -> "End of log.".equals(log.statusProperty().get()));

        assertEquals(List.of("booting", "hello from the VM", "done in 41.2 s"), List.copyOf(log.lines()));
        assertEquals("booting\nhello from the VM\ndone in 41.2 s", log.text().strip());
        assertTrue(api.calls.contains("log 5 offset=0 follow=true"), api.calls.toString());
    }

    @Test
    void keepsAtMostTheCapAndCountsWhatItDropped() {
        LogViewModel log = new LogViewModel(new InMemoryRigdesk(), Runnable::run);
        List<String> many = java.util.stream.IntStream.range(0, LogViewModel.MAX_LINES + 10)
                .mapToObj(i -> "line " + i).toList();
        log.append(many);
        assertEquals(LogViewModel.MAX_LINES, log.lines().size());
        assertEquals("line 10", log.lines().get(0));
    }

    @Test
    void followingAnotherJobShowsOnlyThatJobsLog() throws Exception {
        InMemoryRigdesk api = new InMemoryRigdesk();
        api.logs.put(1L, "first job\n");
        api.logs.put(2L, "second job\n");
        Ui ui = new Ui();
        LogViewModel log = new LogViewModel(api, ui);
        log.follow(1);
        log.follow(2);
        ui.drainUntil(() -> "End of log.".equals(log.statusProperty().get()));
        assertEquals(List.of("second job"), List.copyOf(log.lines()));
    }
}
