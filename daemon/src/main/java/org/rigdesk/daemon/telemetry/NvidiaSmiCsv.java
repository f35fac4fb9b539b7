package org.rigdesk.daemon.telemetry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.rigdesk.api.wire.ComputeProcess;
import org.rigdesk.api.wire.GpuSample;

/** Parses nvidia-smi's {@code --format=csv,noheader,nounits} output for our two queries. */
public final class NvidiaSmiCsv {

    /** The fields we ask for, in order; the parser depends on this order. */
    public static final List<String> GPU_FIELDS = List.of("index", "uuid", "name", "pci.bus_id", "driver_version",
            "temperature.gpu", "utilization.gpu", "utilization.memory", "memory.total", "memory.used",
            "power.draw", "power.limit", "fan.speed", "clocks.sm", "pstate");
    public static final String APP_FIELDS = "gpu_bus_id,pid,process_name,used_memory";

    private NvidiaSmiCsv() {
    }

    /** One --query-gpu line; throws IllegalArgumentException for a truncated or garbled line. */
    public static GpuSample gpuLine(String line, Instant at) {
        List<String> cells = split(line);
        int extra = cells.size() - GPU_FIELDS.size();
        if (extra < 0) {
            throw new IllegalArgumentException("expected " + GPU_FIELDS.size() + " fields, got " + cells.size()
                    + ": '" + abbreviate(line) + "'");
        }
        if (extra > 0) {
            // Only the name is free text: a comma in it splits it; join it back.
            List<String> joined = new ArrayList<>(cells.subList(0, 2));
            joined.add(String.join(", ", cells.subList(2, 3 + extra)));
            joined.addAll(cells.subList(3 + extra, cells.size()));
            cells = joined;
        }
        String bdf = SmiValues.busId(cells.get(3));
        if (bdf == null) {
            throw new IllegalArgumentException("no PCI bus id in '" + abbreviate(line) + "'");
        }
        Double index = SmiValues.number(cells.get(0));
        return new GpuSample(bdf, index == null ? null : index.intValue(), SmiValues.text(cells.get(1)),
                SmiValues.text(cells.get(2)), SmiValues.text(cells.get(4)),
                SmiValues.number(cells.get(5)), SmiValues.number(cells.get(6)), SmiValues.number(cells.get(7)),
                SmiValues.number(cells.get(8)), SmiValues.number(cells.get(9)), SmiValues.number(cells.get(10)),
                SmiValues.number(cells.get(11)), SmiValues.number(cells.get(12)), SmiValues.number(cells.get(13)),
                SmiValues.text(cells.get(14)), GpuSample.HOST, at, null);
    }

    /**
     * One --query-compute-apps line. Process names may contain commas, so the bus id and pid are
     * taken from the left and the memory from the right.
     */
    public static ComputeProcess appLine(String line) {
        int first = line.indexOf(',');
        int second = first < 0 ? -1 : line.indexOf(',', first + 1);
        int last = line.lastIndexOf(',');
        if (first < 0 || second < 0 || last <= second) {
            throw new IllegalArgumentException("expected bus id, pid, name, memory: '" + abbreviate(line) + "'");
        }
        String bdf = SmiValues.busId(line.substring(0, first));
        if (bdf == null) {
            throw new IllegalArgumentException("no PCI bus id in '" + abbreviate(line) + "'");
        }
        long pid;
        try {
            pid = Long.parseLong(line.substring(first + 1, second).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("no pid in '" + abbreviate(line) + "'");
        }
        return new ComputeProcess(bdf, pid, line.substring(second + 1, last).strip(),
                SmiValues.number(line.substring(last + 1)));
    }

    private static List<String> split(String line) {
        List<String> cells = new ArrayList<>();
        for (String cell : line.split(",", -1)) {
            cells.add(cell.strip());
        }
        return cells;
    }

    static String abbreviate(String line) {
        String printable = line.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 120 ? printable.substring(0, 120) + "…" : printable;
    }
}
