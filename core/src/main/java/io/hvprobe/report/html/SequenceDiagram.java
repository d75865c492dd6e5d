package io.hvprobe.report.html;

import java.util.List;
import java.util.Locale;

/**
 * A run's hypercalls as an inline SVG sequence diagram: two lifelines (guest, hypervisor), per hypercall a request
 * arrow labelled with the command and the registers the hypervisor read, and a dashed reply labelled with the
 * plugin's summary (a GuestRPC exchange: OPEN with channel and cookies, SENDSIZE, payload or HB, RECVSIZE, …,
 * CLOSE with the status) and the registers that changed.
 */
public final class SequenceDiagram {
    /** Calls drawn at most; a longer log is cut, and the diagram says so. */
    static final int MAX_CALLS = 400;
    private static final int WIDTH = 1100;
    private static final int GUEST = 110;
    private static final int HYPERVISOR = 990;
    private static final int TOP = 40;
    private static final int ROW = 64;

    private SequenceDiagram() {
    }

    /** Writes the diagram of {@code calls} ({@code total} hypercalls ran; the log may keep fewer). */
    public static void write(Html h, List<HypercallView> calls, long total) {
        List<HypercallView> drawn = calls.subList(0, Math.min(calls.size(), MAX_CALLS));
        int height = TOP + ROW * drawn.size() + 20;
        h.open("svg", "class", "seq", "id", "sequence", "xmlns", "http://www.w3.org/2000/svg", "width",
                String.valueOf(WIDTH), "height", String.valueOf(height), "viewBox", "0 0 " + WIDTH + " " + height,
                "role", "img", "aria-label", "hypercall sequence: guest and hypervisor");
        h.element("text", "guest", "x", String.valueOf(GUEST), "y", "20", "text-anchor", "middle",
                "font-weight", "bold");
        h.element("text", "hypervisor", "x", String.valueOf(HYPERVISOR), "y", "20", "text-anchor", "middle",
                "font-weight", "bold");
        line(h, GUEST, 28, GUEST, height - 8, "#8c959f", false);
        line(h, HYPERVISOR, 28, HYPERVISOR, height - 8, "#8c959f", false);
        int y = TOP;
        for (HypercallView c : drawn) {
            h.open("g", "class", "call", "data-seq", String.valueOf(c.sequence()), "data-command", c.command());
            int request = y + 18;
            arrow(h, GUEST, HYPERVISOR, request, c.plugin().isEmpty() ? "#b3261e" : "#1f2328", false);
            label(h, request - 4, "", "#" + c.sequence() + " " + c.command() + " (" + c.form() + " at "
                    + c.location() + ")");
            label(h, request + 12, "lbl", "in: " + HypercallView.registers(c.inputs()));
            int reply = y + 48;
            arrow(h, HYPERVISOR, GUEST, reply, "#57606a", true);
            label(h, reply - 4, "", c.plugin().isEmpty() ? "unhandled" : c.summary());
            label(h, reply + 12, "lbl", "changed: " + HypercallView.registers(c.changed()));
            h.close().newline();
            y += ROW;
        }
        h.close();
        if (total > drawn.size()) {
            h.element("p", (total - drawn.size()) + " more hypercall(s) not drawn");
        }
    }

    private static void label(Html h, int y, String style, String text) {
        h.element("text", text, "x", String.valueOf(GUEST + 12), "y", String.valueOf(y), "class", style);
    }

    private static void arrow(Html h, int from, int to, int y, String colour, boolean dashed) {
        line(h, from, y, to, y, colour, dashed);
        int back = from < to ? -8 : 8;
        h.open("polygon", "points", String.format(Locale.ROOT, "%d,%d %d,%d %d,%d", to, y, to + back, y - 4,
                to + back, y + 4), "fill", colour).close();
    }

    private static void line(Html h, int x1, int y1, int x2, int y2, String colour, boolean dashed) {
        h.open("line", "x1", String.valueOf(x1), "y1", String.valueOf(y1), "x2", String.valueOf(x2), "y2",
                String.valueOf(y2), "stroke", colour, "stroke-dasharray", dashed ? "5,3" : "none").close();
    }
}
