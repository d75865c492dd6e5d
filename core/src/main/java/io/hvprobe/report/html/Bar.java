package io.hvprobe.report.html;

import java.util.List;
import java.util.Locale;

/** A horizontal bar: parts of a whole, each a coloured segment (plain CSS, no script). */
public final class Bar {
    private Bar() {
    }

    /**
     * One segment.
     *
     * @param value its size, in the whole's unit
     * @param style its CSS class inside {@code .bar} ({@code r} reached, {@code f} forced, {@code a}/{@code b}
     *              the two sides of a comparison)
     */
    public record Part(long value, String style) {
    }

    /** Writes a bar of {@code whole} with {@code parts} (an empty bar when {@code whole} is 0). */
    public static void write(Html h, long whole, List<Part> parts) {
        h.open("span", "class", "bar", "role", "img", "aria-label", label(whole, parts));
        for (Part p : parts) {
            if (whole > 0 && p.value() > 0) {
                h.open("i", "class", p.style(), "style", String.format(Locale.ROOT, "width:%.1f%%",
                        100.0 * Math.min(p.value(), whole) / whole)).close();
            }
        }
        h.close();
    }

    private static String label(long whole, List<Part> parts) {
        StringBuilder b = new StringBuilder();
        parts.forEach(p -> b.append(b.isEmpty() ? "" : " + ").append(p.value()));
        return b + " of " + whole;
    }
}
