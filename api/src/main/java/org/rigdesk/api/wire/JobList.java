package org.rigdesk.api.wire;

import java.util.List;

/** {@code GET /v1/jobs}: newest first. */
public record JobList(List<Job> jobs) {
    public JobList {
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
    }
}
