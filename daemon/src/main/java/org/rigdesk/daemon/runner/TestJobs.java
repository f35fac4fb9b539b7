package org.rigdesk.daemon.runner;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rigdesk.api.wire.RunnerTestJob;
import org.rigdesk.daemon.problems.DomainException;
import org.rigdesk.daemon.github.RunnerScope;
import org.rigdesk.daemon.jobs.RunnerVmRequest;

/**
 * A test job for the stand-in runner, checked field by field and written as the files it reads
 * from the config disk: {@code test-job.env} (the GITHUB_* variables a real runner gives its job
 * and hooks) and {@code test-job.script}.
 */
final class TestJobs {

    private static final int MAX_SCRIPT = 64 * 1024;

    private TestJobs() {
    }

    static Map<String, String> files(RunnerTestJob request) {
        if (!RunnerScope.isRepository(request.repository())) {
            throw DomainException.invalid("repository must look like OWNER/REPO");
        }
        String workflow = text("workflow", request.workflow(), "CI");
        String job = text("job", request.job(), "test");
        long runId = request.runId() == null ? System.currentTimeMillis() / 1000 : request.runId();
        int attempt = request.runAttempt() == null ? 1 : request.runAttempt();
        if (runId < 1 || attempt < 1 || attempt > 1000) {
            throw DomainException.invalid("runId must be positive and runAttempt between 1 and 1000");
        }
        String script = request.script();
        if (script == null || script.isBlank()) {
            throw DomainException.invalid("script is required: what the test job runs");
        }
        if (script.getBytes(StandardCharsets.UTF_8).length > MAX_SCRIPT || script.indexOf('\0') >= 0) {
            throw DomainException.invalid("script must be text of at most 64 KiB");
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GITHUB_REPOSITORY", request.repository());
        env.put("GITHUB_WORKFLOW", workflow);
        env.put("GITHUB_JOB", job);
        env.put("GITHUB_RUN_ID", Long.toString(runId));
        env.put("GITHUB_RUN_ATTEMPT", Integer.toString(attempt));
        Map<String, String> files = new LinkedHashMap<>();
        files.put("test-job.env", RunnerVmRequest.shellAssignments(env));
        files.put("test-job.script", script);
        return files;
    }

    private static String text(String field, String value, String fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        if (value.length() > 100 || value.chars().anyMatch(Character::isISOControl)) {
            throw DomainException.invalid(field + " must be at most 100 printable characters");
        }
        return value;
    }
}
