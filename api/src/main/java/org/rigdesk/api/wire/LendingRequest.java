package org.rigdesk.api.wire;

import java.util.List;

/**
 * {@code PUT /v1/gpus/{bdf}/lending}: a {@link GpuLending} policy, its weekly windows (schedule
 * only) and how long an on-demand runner may wait for its job ({@code idleSeconds}, null for
 * {@link GpuLending#DEFAULT_IDLE_SECONDS}).
 */
public record LendingRequest(String policy, List<LendingWindow> schedule, Integer idleSeconds) {
}
