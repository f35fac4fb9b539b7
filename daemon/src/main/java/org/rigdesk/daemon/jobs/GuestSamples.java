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

    /** 16 TiB of GPU memory, 10 kW: far past any card, short of nonsense. */
    private static final double MAX_MIB = 16 * 1024 * 1024;
    private static final double MAX_WATTS = 10_000;

    private GuestSamples() {
    }

    /** A reading the guest sent, or null where no GPU could show it (negative, not finite, past {@code max}). */
    private static Double reading(Double value, double max) {
        return value == null || !Double.isFinite(value) || value < 0 || value > max ? null : value;
    }

    public static void forward(JobRun.GuestSample guest, TelemetryService telemetry) {
        JsonNode gpus = guest.sample().path("gpus");
        for (int i = 0; i < gpus.size() && i < guest.gpus().size(); i++) {
            try {
                GpuSample reported = Json.mapper().treeToValue(gpus.get(i), GpuSample.class);
                // The guest sees its own bus numbers: the host address is the one the job holds.
                // Every value is the guest's word: text cleaned and cut, readings within what a GPU can show.
                telemetry.acceptGuest(new GpuSample(guest.gpus().get(i), reported.index(),
                        GuestEvent.clean(reported.uuid()), GuestEvent.clean(reported.name()),
                        GuestEvent.clean(reported.driverVersion()), reading(reported.temperatureC(), 200),
                        reading(reported.utilizationGpu(), 100), reading(reported.utilizationMemory(), 100),
                        reading(reported.memoryTotalMiB(), MAX_MIB), reading(reported.memoryUsedMiB(), MAX_MIB),
                        reading(reported.powerDrawW(), MAX_WATTS), reading(reported.powerLimitW(), MAX_WATTS),
                        reading(reported.fanSpeedPct(), 100), reading(reported.smClockMHz(), 10_000),
                        GuestEvent.clean(reported.pstate()), GpuSample.GUEST, null, null));
            } catch (java.io.IOException | IllegalArgumentException e) {
                LOG.fine(() -> "job " + guest.jobId() + " sent an unreadable sample: " + e.getMessage());
            }
        }
    }
}
