package io.hvprobe.report.html;

import io.hvprobe.spi.ProtocolStep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A run's hypercalls as an inline SVG sequence diagram between two lifelines (guest, hypervisor). A call the
 * plugin told as a step of a protocol exchange ({@link ProtocolStep}, e.g. GuestRPC: OPEN, SENDSIZE, payload or
 * HB, RECVSIZE, …, CLOSE) is drawn as that step: the request arrow with the step and what the guest passed
 * (channel, cookies, size, bytes), the reply with the status and what the hypervisor handed back, and, where the
 * step completes a message, the message itself ({@code "info-get guestinfo.x"} →, ← {@code "1 hello"}); the steps
 * of one exchange share a shaded band named after it. Any other call is a request labelled with the command and
 * the registers the hypervisor read, and a dashed reply with the plugin's summary and the registers that changed.
 */
public final class SequenceDiagram {
    /** Calls drawn at most; a longer log is cut, and the diagram says so. */
    static final int MAX_CALLS = 400;
    /** Characters of a message drawn; the whole (as the plugin kept it) is in the tooltip and the list below. */
    static final int MAX_DRAWN_TEXT = 110;
    private static final int WIDTH = 1100;
    private static final int GUEST = 110;
    private static final int HYPERVISOR = 990;
    private static final int TOP = 40;
    private static final int ROW = 64;
    private static final int MESSAGE_ROW = 30;
    private static final int BAND_HEADER = 18;

    private SequenceDiagram() {
    }

    /** Where one call is drawn. */
    private record Placed(HypercallView call, int y) {
    }

    /** A run of consecutive steps of one exchange: the band behind them. */
    private record Band(String exchange, int top, int bottom) {
    }

    /** Writes the diagram of {@code calls} ({@code total} hypercalls ran; the log may keep fewer). */
    public static void write(Html h, List<HypercallView> calls, long total) {
        List<HypercallView> drawn = calls.subList(0, Math.min(calls.size(), MAX_CALLS));
        List<Placed> placed = new ArrayList<>();
        List<Band> bands = new ArrayList<>();
        int y = TOP;
        String exchange = null;
        int bandTop = 0;
        for (HypercallView c : drawn) {
            String e = c.step().map(ProtocolStep::exchange).orElse(null);
            if (exchange != null && !exchange.equals(e)) {
                bands.add(new Band(exchange, bandTop, y));
            }
            if (e != null && !e.equals(exchange)) {
                bandTop = y;
                y += BAND_HEADER;
            }
            exchange = e;
            placed.add(new Placed(c, y));
            y += ROW + (c.step().flatMap(ProtocolStep::message).isPresent() ? MESSAGE_ROW : 0);
        }
        if (exchange != null) {
            bands.add(new Band(exchange, bandTop, y));
        }
        int height = y + 20;
        h.open("svg", "class", "seq", "id", "sequence", "xmlns", "http://www.w3.org/2000/svg", "width",
                String.valueOf(WIDTH), "height", String.valueOf(height), "viewBox", "0 0 " + WIDTH + " " + height,
                "role", "img", "aria-label", "hypercall sequence: guest and hypervisor");
        for (Band b : bands) {
            h.open("g", "class", "exchange", "data-exchange", b.exchange());
            h.open("rect", "x", String.valueOf(GUEST - 40), "y", String.valueOf(b.top() + 2), "width",
                    String.valueOf(HYPERVISOR - GUEST + 80), "height", String.valueOf(b.bottom() - b.top() - 4),
                    "rx", "6", "fill", "#f3f6fa", "stroke", "#d0d7de").close();
            h.element("text", b.exchange(), "x", String.valueOf(GUEST - 32), "y", String.valueOf(b.top() + 15),
                    "class", "xch");
            h.close().newline();
        }
        h.element("text", "guest", "x", String.valueOf(GUEST), "y", "20", "text-anchor", "middle",
                "font-weight", "bold");
        h.element("text", "hypervisor", "x", String.valueOf(HYPERVISOR), "y", "20", "text-anchor", "middle",
                "font-weight", "bold");
        line(h, GUEST, 28, GUEST, height - 8, "#8c959f", false);
        line(h, HYPERVISOR, 28, HYPERVISOR, height - 8, "#8c959f", false);
        for (Placed p : placed) {
            HypercallView c = p.call();
            if (c.step().isPresent()) {
                step(h, c, c.step().get(), p.y());
            } else {
                call(h, c, p.y());
            }
        }
        h.close();
        if (total > drawn.size()) {
            h.element("p", (total - drawn.size()) + " more hypercall(s) not drawn");
        }
    }

    private static void call(Html h, HypercallView c, int y) {
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
    }

    private static void step(Html h, HypercallView c, ProtocolStep s, int y) {
        h.open("g", "class", "call step", "data-seq", String.valueOf(c.sequence()), "data-command", c.command(),
                "data-step", s.step());
        int request = y + 18;
        arrow(h, GUEST, HYPERVISOR, request, "#1f2328", false);
        h.open("text", "x", String.valueOf(GUEST + 12), "y", String.valueOf(request - 4)).element("tspan",
                "#" + c.sequence() + " " + s.step(), "font-weight", "bold", "class", "name")
                .element("tspan", "  " + c.command() + " via " + c.form() + " at " + c.location(), "class", "lbl")
                .close();
        label(h, request + 12, "lbl req", HypercallView.facts(s.request()));
        int reply = y + 48;
        arrow(h, HYPERVISOR, GUEST, reply, "#57606a", true);
        label(h, reply - 4, "rep", HypercallView.facts(s.reply()));
        s.message().ifPresent(m -> message(h, m, y + ROW));
        h.close().newline();
    }

    /** The message a step completed, in a box across the lifelines, its arrow the way it went. */
    private static void message(Html h, ProtocolStep.Message m, int y) {
        boolean toHypervisor = m.direction() == ProtocolStep.Direction.TO_HYPERVISOR;
        String colour = toHypervisor ? "#0b5cad" : "#1a7f37";
        h.open("g", "class", "msg", "data-direction", toHypervisor ? "to-hypervisor" : "to-guest");
        h.open("rect", "x", String.valueOf(GUEST + 6), "y", String.valueOf(y - 4), "width",
                String.valueOf(HYPERVISOR - GUEST - 12), "height", "22", "rx", "4", "fill", "#ffffff", "stroke",
                colour).close();
        String drawn = m.text().length() > MAX_DRAWN_TEXT ? m.text().substring(0, MAX_DRAWN_TEXT) + "…" : m.text();
        String words = (toHypervisor ? "guest sends " : "guest receives ") + quote(drawn) + " (" + m.size()
                + " bytes) " + (toHypervisor ? "→" : "←");
        h.open("text", "x", String.valueOf(GUEST + 14), "y", String.valueOf(y + 11), "class", "payload", "fill",
                colour).element("title", quote(m.text())).text(words).close();
        h.close();
    }

    /** {@code "text"} with quotes and backslashes escaped, so that the message's ends are visible. */
    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
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
