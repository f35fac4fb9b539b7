package org.rigdesk.app.shell;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;

/**
 * For the app benchmark only ({@code -Drigdesk.bench.logJob=ID -Drigdesk.bench.logLast=PREFIX}):
 * shows job ID's log on the Jobs page, says when it follows it, then counts the frames drawn (a
 * pulse more than two frame times after the last is a dropped frame) and the heap at every frame
 * until the last line shown starts with PREFIX; prints the figures and quits. Off unless set.
 */
final class LogFloodProbe {

    private static final long FRAME_NANOS = 16_666_667L;

    private LogFloodProbe() {
    }

    static void attach(Shell shell) {
        long id = Long.getLong("rigdesk.bench.logJob", -1);
        String last = System.getProperty("rigdesk.bench.logLast");
        if (id < 0 || last == null) {
            return;
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        new AnimationTimer() {
            private boolean following;
            private long previous;
            private long frames;
            private long dropped;
            private long peak;

            @Override
            public void handle(long now) {
                if (!following) {
                    following = follow(shell, id);
                    if (following) {
                        System.out.println("rigdesk-bench log-following");
                    }
                    return;
                }
                if (previous != 0 && now - previous > 2 * FRAME_NANOS) {
                    dropped += (now - previous) / FRAME_NANOS - 1;
                }
                previous = now;
                frames++;
                peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
                List<String> lines = shell.jobs().log().lines();
                if (!lines.isEmpty() && lines.get(lines.size() - 1).startsWith(last)) {
                    stop();
                    long shownAt = System.currentTimeMillis();
                    System.gc();
                    System.out.println("rigdesk-bench log-last-shown-epoch-ms=" + shownAt + " frames=" + frames
                            + " dropped=" + dropped + " peak-heap-mib=" + (peak >> 20) + " heap-after-gc-mib="
                            + (memory.getHeapMemoryUsage().getUsed() >> 20) + " lines=" + lines.size());
                    Platform.exit();
                }
            }
        }.start();
    }

    /** Selects the job once the list has it; true when its log is being followed. */
    private static boolean follow(Shell shell, long id) {
        if (!"jobs".equals(shell.window().currentPage())) {
            shell.window().show("jobs");
        }
        var selected = shell.jobs().selectedProperty().get();
        if (selected == null || selected.id() != id) {
            shell.jobs().all().stream().filter(job -> job.id() == id).findFirst()
                    .ifPresent(job -> shell.jobs().selectedProperty().set(job));
            return false;
        }
        return shell.jobs().log().statusProperty().get().startsWith("Following");
    }
}
