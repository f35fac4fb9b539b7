package org.rigdesk.daemon.runner;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.rigdesk.api.wire.RunnerRegistration;

/**
 * The labels a slot's just-in-time runner gets. GitHub gives a JIT runner only the labels listed,
 * and a job to any runner that carries every label it asks for. A CPU slot carries
 * {@code self-hosted, linux, x64, rigdesk} and the owner's labels, never {@code gpu} (nor any label
 * starting with it), so a GPU job cannot land there. A GPU slot carries {@code gpu},
 * {@code gpu-<model>}, {@code gpu-<N>gb}, what the job image's driver runs ({@code nvidia-<major>},
 * {@code cuda-<major>.<minor>}) and the owner's labels, and by the registration's rule
 * ({@code gpuSlotJobs}): {@code gpu} adds only {@code self-hosted} (so {@code [self-hosted, linux]}
 * never takes the owner's card), {@code gpu-strict} not even that (a bare {@code runs-on: self-hosted}
 * reaches CPU slots only), {@code any} the CPU slots' labels too.
 */
final class RunnerLabels {

    static final List<String> BASE = List.of("self-hosted", "linux", "x64", "rigdesk");
    /** Words that say who made the card, not which card it is. */
    private static final Set<String> MAKERS = Set.of("nvidia", "geforce", "amd", "ati", "radeon", "corporation",
            "advanced", "micro", "devices", "inc", "[amd/ati]", "amd/ati");

    private RunnerLabels() {
    }

    static List<String> cpuSlot(List<String> owners) {
        Set<String> labels = new LinkedHashSet<>(BASE);
        owners.stream().filter(label -> !isGpuLabel(label)).forEach(labels::add);
        return new ArrayList<>(labels);
    }

    /**
     * {@code name} as the driver or pci.ids gives it; {@code memoryMiB} null when unknown; {@code jobs}
     * the rule; {@code image} what the job image adds ({@code nvidia-580}, {@code cuda-13.0}).
     */
    static List<String> gpuSlot(List<String> owners, String name, Integer memoryMiB, String jobs, List<String> image) {
        Set<String> labels = new LinkedHashSet<>();
        if (RunnerRegistration.ANY_JOBS.equals(jobs)) {
            labels.addAll(BASE);
        } else if (!RunnerRegistration.GPU_JOBS_STRICT.equals(jobs)) {
            labels.add("self-hosted");
        }
        labels.add("gpu");
        String model = model(name);
        if (!model.isEmpty()) {
            labels.add("gpu-" + model);
        }
        if (memoryMiB != null && memoryMiB > 0) {
            labels.add("gpu-" + Math.round(memoryMiB / 1024.0) + "gb");
        }
        labels.addAll(image);
        labels.addAll(owners);
        return new ArrayList<>(labels);
    }

    /** GitHub's rule: a runner takes a job when it carries every label the job asks for (case does not matter). */
    static boolean matches(List<String> asked, List<String> runner) {
        if (asked.isEmpty()) {
            return false;
        }
        Set<String> has = new java.util.HashSet<>();
        runner.forEach(label -> has.add(label.toLowerCase(Locale.ROOT)));
        return asked.stream().allMatch(label -> has.contains(label.toLowerCase(Locale.ROOT)));
    }

    /** Which {@code runs-on} reaches which slot under the rule {@code jobs}, in words for the owner. */
    static List<String> reach(String jobs, List<String> owners, boolean cpuSlots) {
        List<String> lines = new ArrayList<>();
        String cpu = cpuSlots ? "a CPU slot" : "no slot (this registration has no CPU slots)";
        lines.add("runs-on: [self-hosted, gpu] (or gpu-<model>, gpu-<N>gb) → a GPU slot");
        lines.add("runs-on: [self-hosted, linux] or [self-hosted, rigdesk] → " + cpu
                + (RunnerRegistration.ANY_JOBS.equals(jobs) ? " or a GPU slot (gpuSlotJobs any)" : ", never a GPU"));
        lines.add("runs-on: self-hosted alone → " + (RunnerRegistration.GPU_JOBS_STRICT.equals(jobs) ? cpu
                + " (GPU slots do not carry self-hosted: gpu-strict)"
                : "any slot, a GPU one too: GitHub matches every runner that carries it"));
        if (!owners.isEmpty()) {
            lines.add("your labels (" + String.join(", ", owners) + ") are on every slot");
        }
        return lines;
    }

    static boolean isGpuLabel(String label) {
        String lower = label.toLowerCase(Locale.ROOT);
        return lower.equals("gpu") || lower.startsWith("gpu-");
    }

    /**
     * "NVIDIA GeForce RTX 3060" → "rtx-3060"; "NVIDIA H100 80GB HBM3" → "h100-80gb-hbm3";
     * "GA106 [GeForce RTX 3060 Lite Hash Rate]" (pci.ids) → "rtx-3060-lite-hash-rate".
     */
    static String model(String name) {
        if (name == null) {
            return "";
        }
        String text = name;
        int open = text.indexOf('[');
        int close = text.lastIndexOf(']');
        if (open >= 0 && close > open) {
            text = text.substring(open + 1, close); // pci.ids puts the marketing name in brackets
        }
        List<String> words = new ArrayList<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z0-9/\\[\\]]+")) {
            if (!word.isEmpty() && !MAKERS.contains(word)) {
                words.add(word.replaceAll("[^a-z0-9]", ""));
            }
        }
        String model = String.join("-", words.stream().filter(w -> !w.isEmpty()).toList());
        return model.length() > 40 ? model.substring(0, 40).replaceAll("-$", "") : model;
    }
}
