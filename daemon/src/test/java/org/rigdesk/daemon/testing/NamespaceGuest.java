package org.rigdesk.daemon.testing;

import org.rigdesk.testkit.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.JobNetwork;

/**
 * A job's guest without a VM, for network tests that need real tools rather than a boot: a job on
 * a fake cloud-hypervisor or Firecracker with a network runs its VMM in a namespace holding the
 * tap, a bridge and the veth to the host; the bridge, given the job's address and default route,
 * sends what the guest would, over the same link, through the same rules.
 */
public final class NamespaceGuest {

    private final String namespace;
    public final long jobId;
    public final JobNetwork network;

    private NamespaceGuest(String namespace, long jobId, JobNetwork network) {
        this.namespace = namespace;
        this.jobId = jobId;
        this.network = network;
    }

    /** The guest of running job {@code jobId} of the daemon whose state is {@code stateDir}. */
    public static NamespaceGuest of(DaemonClient client, Path stateDir, long jobId) throws Exception {
        Path pidFile = stateDir.resolve("jobs").resolve(Long.toString(jobId)).resolve("job.pid");
        Await.until(() -> Files.exists(pidFile), 60, "job " + jobId + "'s VMM runs");
        String pid = Files.readString(pidFile).strip();
        JobNetwork network = client.jobNetwork(jobId);
        NamespaceGuest guest = new NamespaceGuest("/proc/" + pid + "/ns/net", jobId, network);
        guest.must("ip", "address", "add", network.address() + "/30", "dev", "bridge");
        guest.must("ip", "route", "add", "default", "via", network.gateway());
        return guest;
    }

    /** A command in the guest's namespace, as root; its standard output, whatever its exit status. */
    public String run(String... argv) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=" + namespace, "--"));
        command.addAll(List.of(argv));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return out.strip();
    }

    public void must(String... argv) throws Exception {
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=" + namespace, "--"));
        command.addAll(List.of(argv));
        NetworkWorld.host(command.toArray(String[]::new));
    }

    /** The HTTP status of {@code url} from the guest ("000": not reached), from {@code source} when not null. */
    public String fetch(String url, String source) throws IOException, InterruptedException {
        List<String> curl = new ArrayList<>(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                "--max-time", "3"));
        if (source != null) {
            curl.addAll(List.of("--interface", source));
        }
        curl.add(url);
        return run(curl.toArray(String[]::new));
    }
}
