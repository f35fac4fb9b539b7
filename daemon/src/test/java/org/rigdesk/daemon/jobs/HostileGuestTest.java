package org.rigdesk.daemon.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.JobState;
import org.rigdesk.api.wire.Job;
import org.rigdesk.api.wire.JobRequest;
import org.rigdesk.testkit.DaemonProcess;
import org.rigdesk.daemon.testing.JobWaits;

/**
 * A real VM (TCG) whose job behaves as a hostile one would on both channels: a console flood past
 * the log's cap with an endless line, and control events out of order and for GPUs it does not
 * hold. The log keeps its limits and says so, the refused events are counted in it, the job ends
 * with its own exit, and the next job runs.
 */
class HostileGuestTest {

    @TempDir
    Path dir;

    private static final String SCRIPT = String.join("\n",
            "echo '{\"event\":\"started\"}' > /dev/hvc0",
            "for i in 1 2 3; do echo '{\"event\":\"sample\",\"gpus\":[{},{}]}' > /dev/hvc0; done",
            "head -c 100000 /dev/zero | tr '\\0' x; echo",
            "i=0; while [ $i -lt 20000 ]; do echo \"line $i of a flood that the log's cap must stop here\"; "
                    + "i=$((i+1)); done",
            "exit 4");

    @Test
    void aFloodAndForgedEventsLeaveABoundedLogThatSaysWhatWasRefused() throws Exception {
        DaemonProcess.requireTestImage();
        try (DaemonProcess daemon = new DaemonProcess(dir).simulate("desktop").withArgs("--job-log-max-mib", "1")
                .start();
             DaemonClient client = daemon.client()) {
            Job job = client.send("POST", "/v1/jobs", new JobRequest(null, SCRIPT, IntNode.valueOf(0), 1, 256, 300,
                    null, null), Job.class);
            Job done = JobWaits.finished(client, job.id(), 240);
            assertEquals(JobState.FAILED.wire(), done.state(), done.toString());
            assertEquals(4, done.exitCode());
            String log = JobWaits.log(client, job.id());
            assertTrue(log.contains("x".repeat(64 * 1024) + " [rigdesk: line cut at 64 KiB]\n"), "no cut line");
            assertTrue(log.contains("[rigdesk: the console log reached its cap of 1 MiB; the rest of the job's output "
                    + "is not kept]"), "no cap marker");
            assertTrue(log.length() < (1 << 20) + 1024, "the log is " + log.length() + " bytes");
            assertTrue(log.contains("rigdesk: ignored from the guest's control channel: 1 × a second 'started', "
                    + "3 × samples for GPUs the job does not hold\n"), log.substring(Math.max(0, log.length() - 600)));

            Job next = client.send("POST", "/v1/jobs", new JobRequest(null, "echo next", IntNode.valueOf(0), 1, 256,
                    null, null, null), Job.class);
            assertEquals(JobState.SUCCEEDED.wire(), JobWaits.finished(client, next.id(), 240).state());
        }
    }


}
