package org.rigdesk.daemon.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.rigdesk.api.wire.GpuSample;
import org.rigdesk.api.wire.Json;

/**
 * Maps {@code rocm-smi --showuse --showtemp --showpower --showmemuse --showbus --json} to samples.
 * rocm-smi prints every value as a string, keyed by card ("card0") and by a human label that
 * changed between releases, so labels are matched loosely.
 */
public final class RocmSmiJson {

    private RocmSmiJson() {
    }

    public static List<GpuSample> parse(String json, Instant at) throws IOException {
        JsonNode root = Json.mapper().readTree(json);
        List<GpuSample> samples = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> cards = root.fields(); cards.hasNext(); ) {
            Map.Entry<String, JsonNode> card = cards.next();
            if (!card.getKey().startsWith("card") || !card.getValue().isObject()) {
                continue;
            }
            JsonNode values = card.getValue();
            String bdf = SmiValues.busId(find(values, "pci bus"));
            if (bdf == null) {
                continue;
            }
            Integer index = parseIndex(card.getKey());
            samples.add(new GpuSample(bdf, index, null, find(values, "card series"), null,
                    number(find(values, "temperature (sensor edge)", "temperature")),
                    number(find(values, "gpu use")), number(find(values, "gpu memory use", "memory activity")),
                    null, null,
                    number(find(values, "average graphics package power", "current socket graphics package power",
                            "power (w)")),
                    null, null, null, null, GpuSample.HOST, at, null));
        }
        return samples;
    }

    private static Integer parseIndex(String key) {
        try {
            return Integer.valueOf(key.substring(4));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double number(String raw) {
        try {
            return SmiValues.number(raw);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The first field whose label starts with one of {@code prefixes} (case-insensitive). */
    private static String find(JsonNode values, String... prefixes) {
        for (String prefix : prefixes) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = values.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().toLowerCase().startsWith(prefix)) {
                    return field.getValue().asText();
                }
            }
        }
        return null;
    }
}
