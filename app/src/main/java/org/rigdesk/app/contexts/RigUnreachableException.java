package org.rigdesk.app.contexts;

import java.io.IOException;
import org.rigdesk.api.client.DaemonUnreachableException;

/** A remote rig could not be reached: ssh's own reason, and what to try. */
public final class RigUnreachableException extends DaemonUnreachableException {

    private final RigContext context;

    public RigUnreachableException(RigContext context, IOException cause) {
        super("rig '" + context.name() + "' (" + context.endpoint() + ") is unreachable: " + cause.getMessage(),
                null, cause);
        this.context = context;
    }

    public RigContext context() {
        return context;
    }

    @Override
    public String remedy() {
        SshEndpoint ssh = context.ssh();
        return "Check that 'ssh " + (ssh.port() == null ? "" : "-p " + ssh.port() + " ")
                + (ssh.user() == null ? "" : ssh.user() + "@") + ssh.sshHost() + "' works from a terminal and that "
                + "rigdeskd runs there (socket " + ssh.socket() + "); or use another context: rigdesk context ls.";
    }
}
