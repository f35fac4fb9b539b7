package org.rigdesk.api.wire;

import java.util.List;

/** The {@code runner} event: the pool's one-line summary and every slot as it now is. */
public record RunnerEvent(String pool, List<RunnerStatus.Slot> slots) {
}
