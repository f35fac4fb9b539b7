package org.rigdesk.api.client;

import java.io.IOException;
import org.rigdesk.api.wire.Problem;

/** The daemon answered, with an error: carries its problem document. */
public class DaemonException extends IOException {

    private final Problem problem;

    public DaemonException(Problem problem) {
        super(problem.detail() == null ? problem.title() : problem.detail());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public int status() {
        return problem.status();
    }

    /** The stable code (last segment of the problem type), e.g. {@code boot-vga}. */
    public String code() {
        return problem.code();
    }
}
