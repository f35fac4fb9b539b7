package org.rigdesk.daemon.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.logging.Logger;
import org.rigdesk.api.wire.GpuSample;
import org.rigdesk.api.wire.Json;
import org.rigdesk.daemon.telemetry.TelemetryService;

/**
 * In-VM telemetry: the guest agent's {@code {"event":"sample","gpus":[…]}} lines carry nvidia-smi's
 * values for the job's GPUs, in the order the job holds them; they reach telemetry as source "guest".
 */
public final class GuestSamples {

    private static final Logger LOG = Logger.getLogger(GuestSamples.class.getName());

    private GuestSamples() {
    }

    public static void forward(JobRun.GuestSample guest, TelemetryService telemetry) {
        JsonNode gpus = guest.sample().path("gpus");
        for (int i = 0; i < gpus.size() && i < guest.gpus().size(); i++) {
            try {
                GpuSample reported = Json.mapper().treeToValue(gpus.get(i), GpuSample.class);
                // The guest sees its own bus numbers: the host address is the one the job holds.
                telemetry.acceptGuest(new GpuSample(guest.gpus().get(i), reported.index(), reported.uuid(),
                        reported.name(), reported.driverVersion(), reported.temperatureC(), reported.utilizationGpu(),
                        reported.utilizationMemory(), reported.memoryTotalMiB(), reported.memoryUsedMiB(),
                        reported.powerDrawW(), reported.powerLimitW(), reported.fanSpeedPct(), reported.smClockMHz(),
                        reported.pstate(), GpuSample.GUEST, null, null));
            } catch (java.io.IOException | IllegalArgumentException e) {
                LOG.fine(() -> "job " + guest.jobId() + " sent an unreadable sample: " + e.getMessage());
            }
        }
    }
}
