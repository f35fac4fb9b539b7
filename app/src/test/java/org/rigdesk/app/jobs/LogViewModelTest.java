package org.rigdesk.app.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.rigdesk.app.testing.InMemoryRigdesk;

/**
 * The log pane's model: a job's log read to its end in batches, a window of it kept, the rest
 * read back at either edge, and stopped on request.
 */
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

    private static String numbered(int count) {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < count; i++) {
            log.append("line ").append(i).append('\n');
        }
        return log.toString();
    }

    /** Job {@code id} with {@code count} numbered lines, read to its end through a window of 100 lines. */
    private static LogViewModel readToItsEnd(InMemoryRigdesk api, Ui ui, long id, int count) throws InterruptedException {
        api.logs.put(id, numbered(count));
        LogViewModel log = new LogViewModel(api, ui, 100, Long.MAX_VALUE);
        log.follow(id);
        ui.drainUntil(() -> log.statusProperty().get().startsWith("End of log."));
        return log;
    }

    /** Every line shown is the next of the log: no line lost, none twice, none out of order. */
    private static void assertConsecutive(List<String> shown) {
        int first = Integer.parseInt(shown.get(0).substring(5));
        for (int i = 0; i < shown.size(); i++) {
            assertEquals("line " + (first + i), shown.get(i));
        }
    }

    @Test
    void followingALogLongerThanTheWindowKeepsItsEndAndReadsTheRestBackOnRequest() throws Exception {
        InMemoryRigdesk api = new InMemoryRigdesk();
        Ui ui = new Ui();
        LogViewModel log = readToItsEnd(api, ui, 7, 1000);
        assertEquals(100, log.lines().size());
        assertEquals("line 999", log.lines().get(99));
        assertTrue(log.hasEarlier());
        assertTrue(log.statusProperty().get().contains("scroll to the top"), log.statusProperty().get());

        // Up to the start, half a window at a time; what was first stays, at the index given.
        int[] shown = {-1};
        while (log.hasEarlier()) {
            String first = log.lines().get(0);
            shown[0] = -1;
            log.loadEarlier(added -> shown[0] = added);
            ui.drainUntil(() -> shown[0] >= 0);
            assertEquals(first, log.lines().get(shown[0]));
            assertConsecutive(List.copyOf(log.lines()));
        }
        assertEquals("line 0", log.lines().get(0));
        assertFalse(log.followProperty().get(), "reading back the start stops following");
        assertTrue(log.hasLater());
        assertTrue(api.calls.stream().anyMatch(c -> c.startsWith("read log 7 offset=0 limit=")), api.calls.toString());

        // Down to the end again.
        while (log.hasLater()) {
            String last = log.lines().get(log.lines().size() - 1);
            shown[0] = -1;
            log.loadLater(index -> shown[0] = index);
            ui.drainUntil(() -> shown[0] >= 0);
            assertEquals(last, log.lines().get(shown[0]));
            assertConsecutive(List.copyOf(log.lines()));
        }
        assertEquals("line 999", log.lines().get(log.lines().size() - 1));
    }

    @Test
    void whileTheOwnerReadsTheWindowStaysAndFollowingAgainCatchesUp() throws Exception {
        InMemoryRigdesk api = new InMemoryRigdesk();
        api.logs.put(3L, numbered(500));
        Ui ui = new Ui();
        LogViewModel log = new LogViewModel(api, ui, 100, Long.MAX_VALUE);
        log.followProperty().set(false);
        log.follow(3);
        ui.drainUntil(log::hasLater);
        assertEquals("line 0", log.lines().get(0));
        assertEquals("line 99", log.lines().get(99), "full, and no line dropped under the reader");
        assertTrue(log.statusProperty().get().startsWith("Newer lines are read"), log.statusProperty().get());

        log.followProperty().set(true);
        ui.drainUntil(() -> log.statusProperty().get().startsWith("End of log."));
        assertEquals("line 499", log.lines().get(99));
        assertConsecutive(List.copyOf(log.lines()));
        assertTrue(api.calls.contains("log 3 offset=" + numbered(100).length() + " follow=true"), "followed on from the window's end: " + api.calls);
    }

    @Test
    void releasedWhenTheWindowClosesAndReadAgainWhenItOpens() throws Exception {
        InMemoryRigdesk api = new InMemoryRigdesk();
        api.logs.put(6L, numbered(50));
        Ui ui = new Ui();
        LogViewModel log = new LogViewModel(api, ui);
        log.follow(6);
        ui.drainUntil(() -> log.statusProperty().get().startsWith("End of log."));
        log.release();
        assertEquals(0, log.lines().size());
        log.follow(6);
        ui.drainUntil(() -> log.lines().size() == 50);
        assertEquals("line 49", log.lines().get(49));
    }

    @Test
    void aFailedReadBackSaysSoAndKeepsTheLines() throws Exception {
        InMemoryRigdesk api = new InMemoryRigdesk();
        Ui ui = new Ui();
        LogViewModel log = readToItsEnd(api, ui, 4, 300);
        api.logs.remove(4L);
        api.failReadLog = new java.io.IOException("job 4 not found");
        log.loadEarlier(added -> { });
        ui.drainUntil(() -> log.statusProperty().get().startsWith("Could not read the log back"));
        assertTrue(log.statusProperty().get().contains("job 4 not found"));
        assertEquals("line 299", log.lines().get(99));
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
