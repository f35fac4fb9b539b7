package org.rigdesk.app.tray;

import java.util.ArrayList;
import java.util.List;
import org.rigdesk.api.wire.Gpu;
import org.rigdesk.api.wire.GpuLending;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.LendingState;
import org.rigdesk.app.format.GpuNames;
import org.rigdesk.api.wire.RunnerStatus;
import org.rigdesk.app.status.Vocabulary;

/**
 * Turns what the app knows (connection, jobs, runner, the latest problem) into the tray's state
 * and menu. Pure: tested without a bus or a window.
 */
public final class TrayModel {

    /** Running jobs listed in the menu; more are summed up in one line. */
    static final int MENU_JOBS = 8;

    private TrayModel() {
    }

    /**
     * @param connected whether the daemon answers
     * @param jobs      the jobs the app knows, newest first
     * @param runner    the runner registration, or null when unknown
     * @param attention the latest thing that needs a look (a refusal, a failed job), or null
     */
    public static TrayState of(boolean connected, List<Job> jobs, RunnerStatus runner, String attention) {
        return of(connected, jobs, runner, attention, List.of());
    }

    /**
     * The other rigs, as the fleet last saw them: {@code rig} is the one the window shows, each
     * entry of {@code others} one more rig with its jobs running and what needs a look there.
     */
    public record Fleet(String rig, List<Rig> others) {
        public Fleet {
            others = others == null ? List.of() : List.copyOf(others);
        }

        public static final Fleet ALONE = new Fleet(null, List.of());

        int running() {
            return others.stream().mapToInt(Rig::running).sum();
        }

        /** The first thing on another rig that needs a look, in words, or null. */
        String look() {
            return others.stream().filter(r -> r.look() != null).map(r -> r.name() + ": " + r.look()).findFirst()
                    .orElse(null);
        }
    }

    /** Another rig: its jobs running, and what needs a look there (unreachable, a quarantined card), or null. */
    public record Rig(String name, int running, String look) {
    }

    /** As above, with the GPUs that can be lent: each with where it is and one click to lend or reclaim it. */
    public static TrayState of(boolean connected, List<Job> jobs, RunnerStatus runner, String attention, List<Gpu> gpus) {
        return of(connected, jobs, runner, attention, gpus, Fleet.ALONE);
    }

    /** As above, summed over every rig: jobs running anywhere, and anything on any rig that needs a look. */
    public static TrayState of(boolean connected, List<Job> jobs, RunnerStatus runner, String attention, List<Gpu> gpus,
                               Fleet fleet) {
        List<Job> running = jobs.stream().filter(Job::active).toList();
        int elsewhere = fleet.running();
        String lookElsewhere = fleet.look();
        TrayState.Status status;
        String tooltip;
        if (!connected) {
            status = TrayState.Status.ATTENTION;
            tooltip = "rigdeskd is not answering";
        } else if (attention != null) {
            status = TrayState.Status.ATTENTION;
            tooltip = attention;
        } else if (lookElsewhere != null) {
            status = TrayState.Status.ATTENTION;
            tooltip = lookElsewhere;
        } else if (!running.isEmpty() || elsewhere > 0) {
            status = TrayState.Status.BUSY;
            int all = running.size() + elsewhere;
            tooltip = all + (all == 1 ? " job running" : " jobs running")
                    + (fleet.others().isEmpty() ? "" : " on " + (fleet.others().size() + 1) + " rigs");
        } else {
            status = TrayState.Status.IDLE;
            tooltip = "Idle";
        }
        String title = status == TrayState.Status.BUSY ? "Rigdesk — " + tooltip : "Rigdesk";
        List<Gpu> lendable = gpus.stream().filter(g -> g.lending() != null && !g.bootVga()).toList();
        long lent = lendable.stream().filter(g -> !GpuLending.DESK.equals(g.lending().effective())
                || !g.lending().is(LendingState.DESK)).count();
        if (connected && !lendable.isEmpty()) {
            tooltip += " · " + (lent == 0 ? (lendable.size() == 1 ? "the GPU is" : "all GPUs are") + " on your desk"
                    : lent + " of " + lendable.size() + (lendable.size() == 1 ? " GPU" : " GPUs") + " lent");
        }
        if (connected && runner != null && runner.registered()) {
            tooltip += " · Runner: " + Vocabulary.runner(runner.state()).words();
        }
        List<TrayState.MenuItem> menu = new ArrayList<>();
        menu.add(new TrayState.MenuItem("Open Rigdesk", "open", true));
        menu.add(TrayState.MenuItem.separator());
        if (!fleet.others().isEmpty()) {
            // The window's rig first; each other rig in a line of its own (the Fleet page has the rest).
            menu.add(new TrayState.MenuItem("On " + fleet.rig() + ":", null, false));
        }
        if (running.isEmpty()) {
            menu.add(new TrayState.MenuItem("No jobs running", null, false));
        }
        for (Job job : running.stream().limit(MENU_JOBS).toList()) {
            menu.add(new TrayState.MenuItem(Vocabulary.job(job).icon() + " #" + job.id() + " " + shorten(job.name())
                    + " · " + Vocabulary.job(job).words(), "job:" + job.id(), true));
        }
        if (running.size() > MENU_JOBS) {
            menu.add(new TrayState.MenuItem("… and " + (running.size() - MENU_JOBS) + " more", "open", true));
        }
        for (Rig rig : fleet.others()) {
            menu.add(new TrayState.MenuItem("On " + rig.name() + ": " + (rig.look() != null ? Vocabulary.LOOK + " "
                    + shorten(rig.look()) : rig.running() == 0 ? "no jobs running" : rig.running()
                    + (rig.running() == 1 ? " job running" : " jobs running")), "fleet", true));
        }
        menu.add(TrayState.MenuItem.separator());
        for (Gpu gpu : lendable) {
            Job holder = gpu.usedBy() == null ? null : jobs.stream()
                    .filter(j -> Long.toString(j.id()).equals(gpu.usedBy())).findFirst().orElse(null);
            menu.add(new TrayState.MenuItem(shorten(GpuNames.label(gpu) + ": " + Vocabulary.gpu(gpu, holder).text()),
                    "gpu:" + gpu.bdf(), true));
            boolean onDesk = GpuLending.DESK.equals(gpu.lending().policy());
            menu.add(onDesk ? new TrayState.MenuItem("    Lend to CI", "lend:" + gpu.bdf(), connected)
                    : new TrayState.MenuItem("    Use on my desk", "reclaim:" + gpu.bdf(), connected));
        }
        if (!lendable.isEmpty()) {
            menu.add(TrayState.MenuItem.separator());
        }
        if (runner != null && runner.registered()) {
            menu.add(runner.paused() ? new TrayState.MenuItem("Resume runner", "resume", connected)
                    : new TrayState.MenuItem("Pause runner", "pause", connected));
        } else {
            menu.add(new TrayState.MenuItem("Runner not registered", null, false));
        }
        menu.add(new TrayState.MenuItem("Quit Rigdesk", "quit", true));
        return new TrayState(status, title, tooltip, menu);
    }

    private static String shorten(String name) {
        String text = name == null ? "job" : name;
        return text.length() > 64 ? text.substring(0, 63) + "…" : text;
    }


}
