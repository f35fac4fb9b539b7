package org.rigdesk.daemon.sandbox;

import java.nio.file.Path;
import java.util.Optional;
import org.rigdesk.api.wire.HostCheck;

/** The host check that says how job VMMs are confined here, and what is missing for them to be. */
public final class SandboxCheck {

    private SandboxCheck() {
    }

    /** What opens the way to the job files for the VMMs' users. */
    public static String remedy(Path jobsDir) {
        return "chmod o+x each directory above " + jobsDir + ", or choose another --state-dir";
    }

    public static HostCheck of(VmmSandbox sandbox, Path jobsDir) {
        String title = "Job VMMs confined";
        if (!sandbox.ready()) {
            return new HostCheck("vmm-sandbox", title, false, true, sandbox.describe(), "apt install util-linux");
        }
        if (!sandbox.confines()) {
            return new HostCheck("vmm-sandbox", title, false, false, sandbox.describe(),
                    "run rigdeskd as root (the package's service does)");
        }
        Optional<String> closed = OthersAccess.problem(jobsDir);
        if (closed.isPresent()) {
            return new HostCheck("vmm-sandbox", title, false, true, "the VMMs' users cannot reach their job files: "
                    + closed.get(), remedy(jobsDir));
        }
        if (!sandbox.cgroups().enabled()) {
            return new HostCheck("vmm-sandbox", title, false, false, sandbox.describe(),
                    "run rigdeskd as the packaged unit does (Delegate=yes), on a host with cgroup v2");
        }
        return new HostCheck("vmm-sandbox", title, true, false, sandbox.describe(), null);
    }
}
