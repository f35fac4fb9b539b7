package org.rigdesk.api.wire;

/** {@code PUT /v1/gpus/{bdf}/mode}: {@code {"mode":"vfio"}} or {@code {"mode":"host"}}. */
public record ModeRequest(String mode) {
}
