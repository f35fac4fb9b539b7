package org.rigdesk.daemon.jobs;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * A line the guest agent wrote on the control channel (the guest contract, ARCHITECTURE.md),
 * parsed once: every value in it came from the guest and is untrusted.
 */
sealed interface GuestEvent {

    /** The job's script started. */
    record Started() implements GuestEvent {
    }

    /** The job's script ended with this code (-1 when the guest sent none). */
    record Exit(int code) implements GuestEvent {
    }

    /** An in-VM telemetry sample (nvidia-smi inside the guest). */
    record Sample(JsonNode fields) implements GuestEvent {
    }

    /** The runner in a slot's VM listens for GitHub to hand it a job. */
    record RunnerListening() implements GuestEvent {
    }

    /** The runner took a GitHub job (its job-started hook). */
    record JobStarted(String repository, String workflow, String job, Long runId, Integer runAttempt)
            implements GuestEvent {
    }

    /** The runner's own verdict on its job ({@code Succeeded}, {@code Failed}, {@code Canceled}). */
    record JobResult(String result) implements GuestEvent {
    }

    /** What only the guest sees of its GPUs (Xids, retired pages, row remaps), told before exit. */
    record GpuHealth(org.rigdesk.daemon.gpu.GuestGpuReport report) implements GuestEvent {
    }

    /** A JSON object of a kind this daemon does not know: a sign of life, nothing more. */
    record Other(String name) implements GuestEvent {
    }

    /**
     * The guest's JSON, read within what the contract's events need: nesting 8 deep (a sample is 3),
     * numbers of 32 digits; deeper or longer is refused as it is read, not after.
     */
    ObjectMapper MAPPER = guestMapper();

    private static ObjectMapper guestMapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(8).maxNumberLength(32).maxStringLength(64 * 1024).build());
        return mapper;
    }

    /** One control line; empty for anything that is not a JSON object (ignored). */
    static Optional<GuestEvent> parse(String line) {
        JsonNode event;
        try {
            event = MAPPER.readTree(line);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (event == null || !event.isObject()) {
            return Optional.empty();
        }
        String name = event.path("event").asText();
        return Optional.of(switch (name) {
            case "started" -> new Started();
            case "exit" -> new Exit(exitCode(event.path("code")));
            case "sample" -> new Sample(event);
            case "runner" -> "listening".equals(event.path("state").asText()) ? new RunnerListening() : new Other(name);
            case "job-started" -> new JobStarted(text(event, "repository"), text(event, "workflow"), text(event, "job"),
                    number(event, "runId"), attempt(event));
            case "job-result" -> new JobResult(text(event, "result"));
            case "gpu-health" -> new GpuHealth(gpuReport(event));
            default -> new Other(name);
        });
    }

    /** The longest name a guest may give (a repository, a workflow, a job, a result). */
    int MAX_TEXT = 200;

    /**
     * A name from the guest as the daemon keeps it: text only, control characters shown as '?',
     * cut to {@link #MAX_TEXT} characters; null when blank or not text.
     */
    private static String text(JsonNode event, String field) {
        JsonNode node = event.path(field);
        if (!node.isTextual() || node.asText().isBlank()) {
            return null;
        }
        return clean(node.asText());
    }

    /** Text from the guest as the daemon keeps it: stripped, control characters as '?', cut to {@link #MAX_TEXT}. */
    static String clean(String text) {
        if (text == null) {
            return null;
        }
        String value = text.strip().replaceAll("\\p{Cntrl}", "?");
        return value.length() > MAX_TEXT ? value.substring(0, MAX_TEXT) + "…" : value;
    }

    /** The agent reports at most 20 Xid lines; a report's codes are NVIDIA's (well under 1000). */
    int MAX_XIDS = 20;

    private static org.rigdesk.daemon.gpu.GuestGpuReport gpuReport(JsonNode event) {
        java.util.List<org.rigdesk.daemon.gpu.GuestGpuReport.Xid> xids = new java.util.ArrayList<>();
        for (JsonNode xid : event.path("xids")) {
            Long code = number(xid, "xid");
            if (xids.size() < MAX_XIDS && code != null && code >= 0 && code < 1000) {
                String text = text(xid, "text");
                String pci = text(xid, "pci");
                xids.add(new org.rigdesk.daemon.gpu.GuestGpuReport.Xid(pci == null ? "an unnamed address" : pci,
                        code.intValue(), text == null ? "" : text));
            }
        }
        return new org.rigdesk.daemon.gpu.GuestGpuReport(xids, event.path("retirementPending").asBoolean(false),
                event.path("remapFailure").asBoolean(false));
    }

    /** A process's exit status is 0 to 255; anything else the guest sends is -1 (none). */
    private static int exitCode(JsonNode code) {
        return code.isIntegralNumber() && code.canConvertToInt() && code.asInt() >= 0 && code.asInt() <= 255
                ? code.asInt() : -1;
    }

    private static Long number(JsonNode event, String field) {
        return event.path(field).canConvertToLong() && event.path(field).isNumber() ? event.path(field).asLong() : null;
    }

    private static Integer attempt(JsonNode event) {
        Long value = number(event, "runAttempt");
        return value == null || value > Integer.MAX_VALUE ? null : value.intValue();
    }
}
