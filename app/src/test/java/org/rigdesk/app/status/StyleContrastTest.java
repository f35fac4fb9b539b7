package org.rigdesk.app.status;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Text contrast at least 4.5:1 (WCAG AA) in both themes, from the stylesheets' own colours: each
 * tone's text colour (rigdesk.css) resolved in AtlantaFX Primer light and dark, on every surface
 * the window puts text on (page, subtle and inset surfaces) and on its badge's background.
 */
class StyleContrastTest {

    private static final Pattern VARIABLE = Pattern.compile("(-color-[a-z0-9-]+)\\s*:\\s*(#[0-9a-fA-F]{6}|rgba\\([^)]*\\))");
    private static final Pattern RULE = Pattern.compile("([^{}]+)\\{([^}]*)}");

    @Test
    void everyToneReadsAtLeast4Point5To1InBothThemes() throws Exception {
        String css = read("/org/rigdesk/app/shell/rigdesk.css");
        Map<String, String> textOf = new HashMap<>();
        Map<String, String> badgeOf = new HashMap<>();
        Map<String, String> badgeTextOf = new HashMap<>();
        String badgeDefault = null;
        Matcher rules = RULE.matcher(css.replaceAll("(?s)/\\*.*?\\*/", ""));
        while (rules.find()) {
            for (String selector : rules.group(1).split(",")) {
                String s = selector.strip();
                String fill = property(rules.group(2), "-fx-text-fill");
                String background = property(rules.group(2), "-fx-background-color");
                Matcher tone = Pattern.compile("^\\.tone-([a-z]+)$").matcher(s);
                Matcher badge = Pattern.compile("^\\.status-badge\\.tone-([a-z]+)$").matcher(s);
                if (tone.find() && fill != null) {
                    textOf.put(tone.group(1), fill);
                } else if (badge.find() && background != null) {
                    badgeOf.put(badge.group(1), background);
                    if (fill != null) {
                        badgeTextOf.put(badge.group(1), fill);
                    }
                } else if (s.equals(".status-badge") && background != null) {
                    badgeDefault = background;
                }
            }
        }
        assertTrue(textOf.keySet().containsAll(List.of("good", "active", "idle", "moving", "warn", "bad", "quiet")),
                textOf.toString());
        List<String> failures = new ArrayList<>();
        for (String theme : List.of("light", "dark")) {
            Map<String, String> colours = variables(read("/atlantafx/base/theme/primer-" + theme + ".css"));
            for (Map.Entry<String, String> tone : textOf.entrySet()) {
                double[] text = colour(colours, tone.getValue(), null);
                List<String> surfaces = new ArrayList<>(List.of("-color-bg-default", "-color-bg-subtle", "-color-bg-inset"));
                for (String surface : surfaces) {
                    check(failures, theme, tone.getKey() + " on " + surface, text, colour(colours, surface, null));
                }
                // A badge's background is translucent in places: laid over the card it sits on.
                String badge = badgeOf.getOrDefault(tone.getKey(), badgeDefault);
                double[] badgeText = colour(colours, badgeTextOf.getOrDefault(tone.getKey(), tone.getValue()), null);
                for (String card : List.of("-color-bg-default", "-color-bg-subtle")) {
                    check(failures, theme, tone.getKey() + " badge on " + card, badgeText,
                            colour(colours, badge, colour(colours, card, null)));
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static void check(List<String> failures, String theme, String what, double[] text, double[] background) {
        double ratio = contrast(text, background);
        if (ratio < 4.5) {
            failures.add(String.format("%s: %s is %.2f:1", theme, what, ratio));
        }
    }

    private static String property(String block, String name) {
        Matcher m = Pattern.compile(Pattern.quote(name) + "\\s*:\\s*([^;]+);").matcher(block);
        return m.find() ? m.group(1).strip() : null;
    }

    private static Map<String, String> variables(String css) {
        Map<String, String> variables = new HashMap<>();
        Matcher m = VARIABLE.matcher(css);
        while (m.find()) {
            variables.putIfAbsent(m.group(1), m.group(2)); // the .root block comes first
        }
        return variables;
    }

    /** An RGB colour (0..255) of a variable or literal; rgba composited over {@code under} (white when null). */
    private static double[] colour(Map<String, String> variables, String value, double[] under) {
        String literal = variables.getOrDefault(value, value);
        if (literal.startsWith("#")) {
            return new double[] {Integer.parseInt(literal.substring(1, 3), 16), Integer.parseInt(literal.substring(3, 5), 16),
                    Integer.parseInt(literal.substring(5, 7), 16)};
        }
        String[] parts = literal.replaceAll("[rgba() ]", "").split(",");
        double alpha = Double.parseDouble(parts[3]);
        double[] base = under == null ? new double[] {255, 255, 255} : under;
        double[] rgb = new double[3];
        for (int i = 0; i < 3; i++) {
            rgb[i] = Double.parseDouble(parts[i]) * alpha + base[i] * (1 - alpha);
        }
        return rgb;
    }

    private static double contrast(double[] a, double[] b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(double[] rgb) {
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = rgb[i] / 255;
            c[i] = v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    private static String read(String resource) throws Exception {
        try (InputStream in = StyleContrastTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
