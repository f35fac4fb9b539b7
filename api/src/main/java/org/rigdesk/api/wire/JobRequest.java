package org.rigdesk.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * {@code POST /v1/jobs}: a local job. {@code gpus} is a count (1) or a list of addresses
 * (["0000:01:00.0"]). {@code secrets} reach the guest on its config disk only: never a command
 * line, a log or an API answer. {@code network}: the VM gets a network card that reaches the
 * internet and nothing of the host's or the LAN's (absent: none). {@code cache}: the named cache
 * mounted at /cache over a copy-on-write layer; {@code cacheWrite}: if the job succeeds, its layer
 * becomes the cache the next job sees (otherwise it is thrown away). {@code tty}: the job's output
 * goes through a terminal (the guest's serial port as one: programs see one, lines end in \r\n), as
 * {@code docker run -t}; absent, the log holds the bytes the job wrote.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRequest(
        String name,
        String script,
        JsonNode gpus,
        Integer cpus,
        Integer memoryMiB,
        Integer timeoutSeconds,
        Map<String, String> env,
        Map<String, String> secrets,
        Boolean network,
        String cache,
        Boolean cacheWrite,
        Boolean tty) {

    /** A job whose output is no terminal's (the bytes it writes, as {@code docker run} without {@code -t}). */
    public JobRequest(String name, String script, JsonNode gpus, Integer cpus, Integer memoryMiB, Integer timeoutSeconds,
                      Map<String, String> env, Map<String, String> secrets, Boolean network, String cache,
                      Boolean cacheWrite) {
        this(name, script, gpus, cpus, memoryMiB, timeoutSeconds, env, secrets, network, cache, cacheWrite, null);
    }

    /** A job without a cache. */
    public JobRequest(String name, String script, JsonNode gpus, Integer cpus, Integer memoryMiB, Integer timeoutSeconds,
                      Map<String, String> env, Map<String, String> secrets, Boolean network) {
        this(name, script, gpus, cpus, memoryMiB, timeoutSeconds, env, secrets, network, null, null);
    }

    /** A job without a network card. */
    public JobRequest(String name, String script, JsonNode gpus, Integer cpus, Integer memoryMiB, Integer timeoutSeconds,
                      Map<String, String> env, Map<String, String> secrets) {
        this(name, script, gpus, cpus, memoryMiB, timeoutSeconds, env, secrets, null);
    }

    /** A job on {@code gpuCount} whole GPUs (any free ones in vfio mode). */
    public static JobRequest onGpuCount(String name, String script, int gpuCount, Integer cpus, Integer memoryMiB,
                                        Integer timeoutSeconds, Map<String, String> env, Map<String, String> secrets) {
        return onGpuCount(name, script, gpuCount, cpus, memoryMiB, timeoutSeconds, env, secrets, null);
    }

    /** The same, with a network card when {@code network} is true. */
    public static JobRequest onGpuCount(String name, String script, int gpuCount, Integer cpus, Integer memoryMiB,
                                        Integer timeoutSeconds, Map<String, String> env, Map<String, String> secrets,
                                        Boolean network) {
        return new JobRequest(name, script, com.fasterxml.jackson.databind.node.IntNode.valueOf(gpuCount), cpus,
                memoryMiB, timeoutSeconds, env, secrets, network);
    }

    /** A job on these GPUs, by PCI address. */
    public static JobRequest onGpus(String name, String script, java.util.List<String> addresses, Integer cpus,
                                    Integer memoryMiB, Integer timeoutSeconds, Map<String, String> env,
                                    Map<String, String> secrets) {
        com.fasterxml.jackson.databind.node.ArrayNode gpus = com.fasterxml.jackson.databind.node.JsonNodeFactory
                .instance.arrayNode();
        addresses.forEach(gpus::add);
        return new JobRequest(name, script, gpus, cpus, memoryMiB, timeoutSeconds, env, secrets);
    }
}
