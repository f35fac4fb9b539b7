package org.rigdesk.daemon.events;

import java.nio.charset.StandardCharsets;

/** One server-sent event; its wire form is built once, at publish, for every subscriber. */
public final class Event {

    private final String type;
    private final String data;
    private final byte[] wire;

    public Event(String type, String data) {
        this.type = type;
        this.data = data;
        this.wire = toWire().getBytes(StandardCharsets.UTF_8);
    }

    public String type() {
        return type;
    }

    public String data() {
        return data;
    }

    /** The SSE wire form: {@code event:} and {@code data:} lines and a blank line. */
    public String toWire() {
        StringBuilder text = new StringBuilder(data.length() + type.length() + 16);
        text.append("event: ").append(type).append('\n');
        for (String line : data.split("\n", -1)) {
            text.append("data: ").append(line).append('\n');
        }
        return text.append('\n').toString();
    }

    /** {@link #toWire()} in UTF-8, shared: callers must not change it. */
    public byte[] wireBytes() {
        return wire;
    }

    @Override
    public String toString() {
        return "Event[" + type + ", " + data + "]";
    }
}
