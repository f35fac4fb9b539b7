package org.rigdesk.api.wire;

/**
 * {@code POST /v1/gpus/{bdf}/reclaim}: the card comes back to the owner's desk (its policy becomes
 * desk). A job using it finishes first unless {@code cancelJob}.
 */
public record ReclaimRequest(Boolean cancelJob) {
}
