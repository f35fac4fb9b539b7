package org.rigdesk.daemon.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.daemon.gpu.Bdf;
import org.rigdesk.daemon.problems.DomainException;

/** Checks a job request field by field; any problem is a 400 that names the field. Nothing is started. */
final class JobValidator {

    private static final Pattern VARIABLE = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,63}$");

    /** A request that passed: defaults filled in, GPUs as a count or a list of addresses. */
    record Valid(String name, String script, int gpuCount, List<String> gpuAddresses, int cpus, int memoryMiB,
                 int timeoutSeconds, Map<String, String> env, Map<String, String> secrets, boolean network,
                 String cache, boolean cacheWrite, boolean tty) {

        /** A job whose output is no terminal's. */
        Valid(String name, String script, int gpuCount, List<String> gpuAddresses, int cpus, int memoryMiB,
              int timeoutSeconds, Map<String, String> env, Map<String, String> secrets, boolean network,
              String cache, boolean cacheWrite) {
            this(name, script, gpuCount, gpuAddresses, cpus, memoryMiB, timeoutSeconds, env, secrets, network, cache,
                    cacheWrite, false);
        }

        /** A job without a cache. */
        Valid(String name, String script, int gpuCount, List<String> gpuAddresses, int cpus, int memoryMiB,
              int timeoutSeconds, Map<String, String> env, Map<String, String> secrets, boolean network) {
            this(name, script, gpuCount, gpuAddresses, cpus, memoryMiB, timeoutSeconds, env, secrets, network, null, false);
        }
    }

    private JobValidator() {
    }

    static Valid check(JobRequest request, JobsConfig config) {
        String script = request.script();
        if (script == null || script.isBlank()) {
            throw DomainException.invalid("script is required: the shell commands the job runs");
        }
        if (script.getBytes(StandardCharsets.UTF_8).length > JobsConfig.MAX_SCRIPT_BYTES) {
            throw DomainException.invalid("script is larger than " + JobsConfig.MAX_SCRIPT_BYTES / 1024
                    + " KiB; put large inputs on the job's disk instead");
        }
        String name = request.name() == null || request.name().isBlank() ? defaultName(script) : request.name().strip();
        if (name.length() > 128 || name.chars().anyMatch(Character::isISOControl)) {
            throw DomainException.invalid("name must be at most 128 printable characters");
        }
        int cpus = range("cpus", request.cpus(), 2, 1, config.hostCpus());
        int memory = range("memoryMiB", request.memoryMiB(), 1024, 128, config.hostMemoryMiB());
        int timeout = range("timeoutSeconds", request.timeoutSeconds(), 3600, 10, 7 * 86_400);
        int gpuCount = 0;
        List<String> addresses = List.of();
        JsonNode gpus = request.gpus();
        if (gpus != null && !gpus.isNull()) {
            if (gpus.isInt()) {
                gpuCount = range("gpus", gpus.asInt(), 0, 0, 16);
            } else if (gpus.isArray()) {
                LinkedHashSet<String> unique = new LinkedHashSet<>();
                for (JsonNode entry : gpus) {
                    if (!entry.isTextual() || !Bdf.isValid(entry.asText())) {
                        throw DomainException.invalid("gpus must hold PCI addresses like 0000:01:00.0, got "
                                + Bdf.printable(entry.isTextual() ? entry.asText() : entry.toString()));
                    }
                    if (!unique.add(entry.asText())) {
                        throw DomainException.invalid("gpus names " + entry.asText() + " twice");
                    }
                }
                if (unique.size() > 16) {
                    throw DomainException.invalid("gpus may name at most 16 GPUs");
                }
                addresses = new ArrayList<>(unique);
                gpuCount = addresses.size();
            } else {
                throw DomainException.invalid("gpus must be a count (1) or a list of PCI addresses ([\"0000:01:00.0\"])");
            }
        }
        if (Boolean.TRUE.equals(request.cacheWrite()) && request.cache() == null) {
            throw DomainException.invalid("cacheWrite needs a cache: name one with \"cache\"");
        }
        String cache = request.cache() == null ? null : org.rigdesk.daemon.cache.Caches.check(request.cache());
        return new Valid(name, script, gpuCount, addresses, cpus, memory, timeout, variables("env", request.env()),
                variables("secrets", request.secrets()), Boolean.TRUE.equals(request.network()), cache,
                Boolean.TRUE.equals(request.cacheWrite()), Boolean.TRUE.equals(request.tty()));
    }

    private static int range(String field, Integer value, int fallback, int min, int max) {
        int actual = value == null ? fallback : value;
        if (actual < min || actual > max) {
            throw DomainException.invalid(field + " must be between " + min + " and " + max + " on this host, got "
                    + actual);
        }
        return actual;
    }

    private static Map<String, String> variables(String field, Map<String, String> values) {
        if (values == null) {
            return Map.of();
        }
        if (values.size() > 64) {
            throw DomainException.invalid(field + " may hold at most 64 variables");
        }
        for (Map.Entry<String, String> entry : values.entrySet()) {
            if (!VARIABLE.matcher(entry.getKey()).matches()) {
                throw DomainException.invalid(field + " names must be shell variable names, got "
                        + Bdf.printable(entry.getKey()));
            }
            if (entry.getValue() == null || entry.getValue().length() > 32_768 || entry.getValue().indexOf('\0') >= 0) {
                throw DomainException.invalid(field + "." + entry.getKey() + " must be text of at most 32 KiB");
            }
        }
        return Map.copyOf(values);
    }

    private static String defaultName(String script) {
        String first = script.strip().lines().findFirst().orElse("job");
        return first.length() > 60 ? first.substring(0, 60) + "…" : first;
    }
}
