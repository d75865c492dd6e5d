package io.hvprobe.trace;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.guest.CallResult;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.MemoryWrite;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a trace as JSON Lines, one object per line with a {@code type}: {@code start}, {@code entry},
 * {@code insn}, {@code hypercall} (with {@code phase} {@code enter} or {@code exit}) and {@code end}. Register
 * values and addresses are hex strings ({@code "0x1c"}), so 64-bit values survive any JSON reader; keys come in a
 * fixed order.
 */
final class JsonlTraceWriter implements TraceSink {
    private static final byte[] INSN = "{\"type\":\"insn\",\"i\":".getBytes(StandardCharsets.US_ASCII);
    /** Closes an instruction's {@code regs} object and the line, when it has no memory writes. */
    private static final byte[] INSN_END = "}}\n".getBytes(StandardCharsets.US_ASCII);
    private final AsciiOut out;
    /** Per instruction id: the members after {@code "i"} up to the opening brace of {@code "regs"}. */
    private byte[][] prefixes = new byte[256][];
    /** {@code "name":"} per register index, and the same after a comma for every member but an object's first. */
    private byte[][] regKeys;
    private byte[][] regKeysAfterFirst;
    private int pcIndex;
    private boolean all;

    JsonlTraceWriter(OutputStream stream) {
        this.out = new AsciiOut(stream);
    }

    @Override
    public void start(TraceStart start) {
        Arch arch = start.arch();
        regKeys = new byte[arch.registers().size()][];
        regKeysAfterFirst = new byte[regKeys.length][];
        for (GuestRegister r : arch.registers()) {
            regKeys[r.index()] = ("\"" + r.displayName() + "\":\"").getBytes(StandardCharsets.US_ASCII);
            regKeysAfterFirst[r.index()] = (",\"" + r.displayName() + "\":\"").getBytes(StandardCharsets.US_ASCII);
        }
        pcIndex = arch.programCounter().index();
        all = start.options().registers() == RegisterMode.ALL;
        TraceOptions o = start.options();
        out.put("{\"type\":\"start\",\"object\":").put(quote(start.object())).put(",\"function\":")
                .put(quote(start.function())).put(",\"arch\":\"").put(arch.name().toLowerCase(Locale.ROOT))
                .put("\",\"registers\":\"").put(o.registers().name().toLowerCase(Locale.ROOT))
                .put("\",\"memory\":").put(o.memory() ? "true" : "false").put(",\"hypercallsOnly\":")
                .put(o.hypercallsOnly() ? "true" : "false").put(",\"limit\":").dec(o.limit())
                .put(o.source() ? ",\"source\":true" : "").put("}\n");
    }

    @Override
    public void entry(long[] registers) {
        out.put("{\"type\":\"entry\",\"regs\":{");
        for (int i = 0; i < registers.length; i++) {
            if (i > 0) {
                out.put(',');
            }
            out.put(regKeys[i]).hex(registers[i]).put('"');
        }
        out.put("}}\n");
    }

    @Override
    public void instruction(long index, InstructionInfo insn, long[] before, long[] after, MemoryWrites writes) {
        out.put(INSN).dec(index).put(prefix(insn));
        byte[][] keys = regKeys;
        for (int i = 0; i < after.length; i++) {
            if (i != pcIndex && (all || before[i] != after[i])) {
                out.keyedHex(keys[i], after[i]);
                keys = regKeysAfterFirst;
            }
        }
        if (writes.total() == 0) {
            out.put(INSN_END);
            return;
        }
        out.put('}');
        out.put(",\"mem\":[");
        for (int i = 0; i < writes.count(); i++) {
            out.put(i == 0 ? "{\"addr\":\"" : ",{\"addr\":\"").hex(writes.address(i)).put("\",\"size\":")
                    .dec(writes.size(i)).put(",\"value\":\"").hex(writes.value(i)).put("\"}");
        }
        out.put(']');
        if (writes.total() > writes.count()) {
            out.put(",\"memDropped\":").dec(writes.total() - writes.count());
        }
        out.put("}\n");
    }

    private byte[] prefix(InstructionInfo insn) {
        if (insn.id() >= prefixes.length) {
            prefixes = Arrays.copyOf(prefixes, Math.max(prefixes.length * 2, insn.id() + 1));
        }
        byte[] p = prefixes[insn.id()];
        if (p == null) {
            String s = ",\"pc\":\"0x" + Long.toHexString(insn.address()) + "\",\"loc\":" + quote(insn.location())
                    + ",\"bytes\":\"" + insn.hexBytes().replace(" ", "") + "\",\"asm\":" + quote(insn.text())
                    + insn.source().map(JsonlTraceWriter::source).orElse("") + ",\"regs\":{";
            p = s.getBytes(StandardCharsets.UTF_8);
            prefixes[insn.id()] = p;
        }
        return p;
    }

    @Override
    public void hypercallEnter(HypercallDigest call) {
        out.put("{\"type\":\"hypercall\",\"phase\":\"enter\",\"seq\":").dec(call.sequence()).put(",\"pc\":\"")
                .hex(call.pc()).put("\",\"loc\":").put(quote(call.location())).put(",\"form\":\"")
                .put(call.form().name()).put("\",\"command\":").put(quote(call.command())).put(",\"plugin\":")
                .put(quote(call.plugin())).put(",\"inputs\":");
        registers(call.inputs());
        out.put("}\n");
    }

    @Override
    public void hypercallExit(HypercallDigest call) {
        out.put("{\"type\":\"hypercall\",\"phase\":\"exit\",\"seq\":").dec(call.sequence()).put(",\"command\":")
                .put(quote(call.command())).put(",\"handled\":").put(call.handled() ? "true" : "false")
                .put(",\"summary\":").put(quote(call.summary())).put(",\"changed\":");
        registers(call.changed());
        out.put(",\"memoryWrites\":[");
        boolean first = true;
        for (MemoryWrite w : call.memoryWrites()) {
            out.put(first ? "{\"addr\":\"" : ",{\"addr\":\"").hex(w.address()).put("\",\"size\":").dec(w.length())
                    .put('}');
            first = false;
        }
        out.put("],\"findings\":[");
        first = true;
        for (Finding f : call.findings()) {
            out.put(first ? "{\"rule\":" : ",{\"rule\":").put(quote(f.ruleId())).put(",\"severity\":\"")
                    .put(f.severity().name().toLowerCase(Locale.ROOT)).put("\",\"message\":")
                    .put(quote(f.message())).put('}');
            first = false;
        }
        out.put("]}\n");
    }

    private void registers(Map<GuestRegister, Long> regs) {
        out.put('{');
        boolean first = true;
        for (Map.Entry<GuestRegister, Long> e : regs.entrySet()) {
            if (!first) {
                out.put(',');
            }
            first = false;
            out.put(regKeys[e.getKey().index()]).hex(e.getValue()).put('"');
        }
        out.put('}');
    }

    @Override
    public void end(TraceEnd end) {
        out.put("{\"type\":\"end\",\"instructions\":").dec(end.instructions()).put(",\"hypercalls\":")
                .dec(end.hypercalls()).put(",\"status\":");
        if (end.limitReached()) {
            out.put("\"limit\"");
        } else if (end.result() instanceof CallResult.Returned r) {
            out.put("\"returned\",\"return\":\"").hex(r.value()).put('"');
        } else if (end.result() instanceof CallResult.Faulted f) {
            out.put("\"faulted\",\"fault\":").put(quote(f.fault().describe()));
        }
        out.put("}\n");
        out.flush();
    }

    @Override
    public void close() {
        out.flush();
    }

    /** A JSON string literal. */
    /** {@code ,"source":{"file":..,"line":..,"column":..,"function":..,"inlinedFrom":[{...}]}}. */
    private static String source(io.hvprobe.dwarf.SourceLine s) {
        StringBuilder b = new StringBuilder(",\"source\":{\"file\":").append(quote(s.file())).append(",\"line\":")
                .append(s.line()).append(",\"column\":").append(s.column()).append(",\"function\":")
                .append(quote(s.function())).append(",\"inlinedFrom\":[");
        for (int i = 0; i < s.inlinedFrom().size(); i++) {
            io.hvprobe.dwarf.InlinedCall c = s.inlinedFrom().get(i);
            b.append(i == 0 ? "" : ",").append("{\"function\":").append(quote(c.function())).append(",\"file\":")
                    .append(quote(c.file())).append(",\"line\":").append(c.line()).append(",\"column\":")
                    .append(c.column()).append('}');
        }
        return b.append("]}").toString();
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
