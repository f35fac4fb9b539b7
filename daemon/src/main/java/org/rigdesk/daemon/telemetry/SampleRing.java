package org.rigdesk.daemon.telemetry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.rigdesk.api.wire.GpuSample;

/** The last hour of one GPU's samples: a fixed array, overwritten oldest first. */
final class SampleRing {

    private final GpuSample[] samples;
    private int next;
    private int size;

    SampleRing(int capacity) {
        samples = new GpuSample[capacity];
    }

    synchronized void add(GpuSample sample) {
        samples[next] = sample;
        next = (next + 1) % samples.length;
        size = Math.min(size + 1, samples.length);
    }

    /** Samples taken at or after {@code since}, oldest first. */
    synchronized List<GpuSample> since(Instant since) {
        List<GpuSample> window = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            GpuSample sample = samples[(next - size + i + samples.length) % samples.length];
            if (!sample.at().isBefore(since)) {
                window.add(sample);
            }
        }
        return window;
    }

    synchronized int size() {
        return size;
    }
}
