package org.rigdesk.daemon.testing;

import org.rigdesk.testkit.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.rigdesk.api.client.DaemonClient;
import org.rigdesk.api.wire.Job;

/** A job as tests follow it over the API: its record, its end, its log. */
public final class JobWaits {

    private JobWaits() {
    }

    public static Job job(DaemonClient client, long id) {
        try {
            return client.get("/v1/jobs/" + id, Job.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The job once it has ended (a final state), waiting up to {@code seconds}. */
    public static Job finished(DaemonClient client, long id, int seconds) throws InterruptedException {
        Await.until(() -> job(client, id).finished(), seconds);
        return job(client, id);
    }

    /** The job's whole console log. */
    public static String log(DaemonClient client, long id) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.stream("/v1/jobs/" + id + "/log", out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
