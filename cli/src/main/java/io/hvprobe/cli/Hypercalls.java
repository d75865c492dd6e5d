package io.hvprobe.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.MemoryWrite;
import io.hvprobe.trace.HypercallDigest;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** Prints decoded hypercalls (command, inputs per the contract, registers changed). */
final class Hypercalls {
    private Hypercalls() {
    }

    static void text(HypercallDigest d, PrintWriter out, Paint paint) {
        out.printf(Locale.ROOT, "  #%d %s via %s at %s%s%s%n", d.sequence(), paint.bold(d.command()), d.form(),
                d.location(), d.handled() ? " [" + d.plugin() + "]" : " " + paint.severity(
                        io.hvprobe.spi.Severity.ERROR, "unhandled"),
                d.summary().isEmpty() ? "" : ": " + d.summary());
        out.println("       in:      " + registers(d.inputs()));
        if (d.handled()) {
            out.println("       changed: " + (d.changed().isEmpty() ? "none" : registers(d.changed())));
        }
        for (MemoryWrite w : d.memoryWrites()) {
            out.printf(Locale.ROOT, "       wrote:   %d bytes at 0x%x%n", w.length(), w.address());
        }
        for (Finding f : d.findings()) {
            out.printf(Locale.ROOT, "       %s: [%s] %s%n", paint.severity(f.severity(),
                    f.severity().name().toLowerCase(Locale.ROOT)), f.ruleId(), f.message());
        }
    }

    static String registers(Map<GuestRegister, Long> regs) {
        StringBuilder b = new StringBuilder();
        regs.forEach((r, v) -> b.append(b.isEmpty() ? "" : " ").append(r.displayName()).append('=')
                .append(Values.hex(v)));
        return b.isEmpty() ? "-" : b.toString();
    }

    static ObjectNode json(HypercallDigest d) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("seq", d.sequence()).put("pc", Values.hex(d.pc())).put("location", d.location())
                .put("form", d.form().name()).put("instruction", d.disassembly()).put("command", d.command())
                .put("handled", d.handled()).put("plugin", d.plugin()).put("summary", d.summary());
        d.contract().ifPresent(k -> n.put("contract", k.command()));
        ObjectNode in = n.putObject("inputs");
        d.inputs().forEach((r, v) -> in.put(r.displayName(), Values.hex(v)));
        ObjectNode ch = n.putObject("changed");
        d.changed().forEach((r, v) -> ch.put(r.displayName(), Values.hex(v)));
        ArrayNode mw = n.putArray("memoryWrites");
        d.memoryWrites().forEach(w -> mw.addObject().put("address", Values.hex(w.address())).put("size", w.length()));
        ArrayNode fs = n.putArray("findings");
        d.findings().forEach(f -> fs.addObject().put("rule", f.ruleId())
                .put("severity", f.severity().name().toLowerCase(Locale.ROOT)).put("message", f.message()));
        return n;
    }
}
