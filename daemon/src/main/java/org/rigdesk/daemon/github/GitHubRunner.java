package org.rigdesk.daemon.github;

import java.util.List;

/** A self-hosted runner as GitHub lists it. */
public record GitHubRunner(long id, String name, String os, String status, boolean busy, List<String> labels) {

    public boolean online() {
        return "online".equals(status);
    }
}
