package org.rigdesk.daemon.events;

/** One server-sent event, its data already serialised once for every subscriber. */
public record Event(String type, String data) {

    /** The SSE wire form: {@code event:} and {@code data:} lines and a blank line. */
    public String toWire() {
        StringBuilder wire = new StringBuilder(data.length() + type.length() + 16);
        wire.append("event: ").append(type).append('\n');
        for (String line : data.split("\n", -1)) {
            wire.append("data: ").append(line).append('\n');
        }
        return wire.append('\n').toString();
    }
}
