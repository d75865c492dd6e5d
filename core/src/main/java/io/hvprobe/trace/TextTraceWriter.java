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
 * Writes a trace as aligned text lines:
 * <pre>
 *       7  0x1000001c  hv_detect+0x1c          ed                        in eax, dx                    rax=0x6 rbx=0x564d5868
 * </pre>
 * index, address, symbol+offset, bytes, disassembly, then the registers the instruction changed (or all), then
 * memory writes as {@code [address:size]=value}. Hypercalls get a {@code >>} line before and a {@code <<} line
 * after the trap instruction. Comment lines start with {@code #}; with source lines on, a
 * {@code # source: vmware.h:118:3 in vmware_hypercall3, inlined into vmmouse.c:201:9 in vmmouse_read} line comes
 * before each instruction whose source line differs from the previous instruction's.
 */
final class TextTraceWriter implements TraceSink {
    private static final int LOCATION_WIDTH = 24;
    private static final int BYTES_WIDTH = 24;
    private static final int TEXT_WIDTH = 30;

    private final AsciiOut out;
    private byte[][] prefixes = new byte[256][];
    private byte[][] regNames;
    private int pcIndex;
    private boolean all;
    private String lastSource = "";

    TextTraceWriter(OutputStream stream) {
        this.out = new AsciiOut(stream);
    }

    @Override
    public void start(TraceStart start) {
        Arch arch = start.arch();
        regNames = new byte[arch.registers().size()][];
        for (GuestRegister r : arch.registers()) {
            regNames[r.index()] = (" " + r.displayName() + "=").getBytes(StandardCharsets.US_ASCII);
        }
        pcIndex = arch.programCounter().index();
        all = start.options().registers() == RegisterMode.ALL;
        TraceOptions o = start.options();
        out.put("# hvprobe trace: ").put(start.function()).put(" in ").put(start.object()).put(" (")
                .put(arch.name().toLowerCase(Locale.ROOT)).put("); registers: ")
                .put(o.registers().name().toLowerCase(Locale.ROOT)).put("; memory writes: ")
                .put(o.memory() ? "on" : "off").put("; limit: ");
        if (o.limit() > 0) {
            out.dec(o.limit());
        } else {
            out.put("none");
        }
        out.put(o.hypercallsOnly() ? "; hypercalls only" : "").put(o.source() ? "; source lines" : "").put('\n');
    }

    @Override
    public void entry(long[] registers) {
        out.put("# entry:");
        for (int i = 0; i < registers.length; i++) {
            out.put(regNames[i]).hex(registers[i]);
        }
        out.put('\n');
    }

    @Override
    public void instruction(long index, InstructionInfo insn, long[] before, long[] after, MemoryWrites writes) {
        if (insn.source().isPresent()) {
            String source = insn.source().get().describe();
            if (!source.equals(lastSource)) {
                out.put("# source: ").put(source).put('\n');
                lastSource = source;
            }
        }
        out.decPadded(index, 7).put(prefix(insn));
        boolean padded = false;
        for (int i = 0; i < after.length; i++) {
            if (i != pcIndex && (all || before[i] != after[i])) {
                if (!padded) {
                    padded = true;
                    out.spaces(Math.max(1, TEXT_WIDTH - insn.text().length()));
                }
                out.put(regNames[i]).hex(after[i]);
            }
        }
        for (int i = 0; i < writes.count(); i++) {
            if (!padded) {
                padded = true;
                out.spaces(Math.max(1, TEXT_WIDTH - insn.text().length()));
            }
            out.put(" [").hex(writes.address(i)).put(':').dec(writes.size(i)).put("]=").hex(writes.value(i));
        }
        if (writes.total() > writes.count()) {
            out.put(" (+").dec(writes.total() - writes.count()).put(" more writes)");
        }
        out.put('\n');
    }

    private byte[] prefix(InstructionInfo insn) {
        if (insn.id() >= prefixes.length) {
            prefixes = Arrays.copyOf(prefixes, Math.max(prefixes.length * 2, insn.id() + 1));
        }
        byte[] p = prefixes[insn.id()];
        if (p == null) {
            StringBuilder b = new StringBuilder("  0x").append(Long.toHexString(insn.address())).append("  ");
            int column = b.length();
            pad(b.append(insn.location()), column + LOCATION_WIDTH).append("  ");
            column = b.length();
            pad(b.append(insn.hexBytes()), column + BYTES_WIDTH).append("  ");
            b.append(insn.text());
            p = b.toString().getBytes(StandardCharsets.UTF_8);
            prefixes[insn.id()] = p;
        }
        return p;
    }

    private static StringBuilder pad(StringBuilder b, int width) {
        while (b.length() < width) {
            b.append(' ');
        }
        return b;
    }

    @Override
    public void hypercallEnter(HypercallDigest call) {
        out.put("        >> hypercall ").dec(call.sequence()).put(": ").put(call.command()).put(" via ")
                .put(call.form().name()).put(" at ").put(call.location());
        if (call.handled()) {
            out.put(" [").put(call.plugin()).put(']');
        }
        out.put("  in:");
        registers(call.inputs());
        out.put('\n');
    }

    @Override
    public void hypercallExit(HypercallDigest call) {
        out.put("        << hypercall ").dec(call.sequence()).put(": ").put(call.command());
        if (!call.handled()) {
            out.put(" unhandled\n");
            return;
        }
        if (!call.summary().isEmpty()) {
            out.put(" -> ").put(call.summary());
        }
        out.put("  changed:");
        if (call.changed().isEmpty()) {
            out.put(" none");
        }
        registers(call.changed());
        for (MemoryWrite w : call.memoryWrites()) {
            out.put(" [").hex(w.address()).put(':').dec(w.length()).put(']');
        }
        for (Finding f : call.findings()) {
            out.put("  ").put(f.severity().name().toLowerCase(Locale.ROOT)).put(": [").put(f.ruleId()).put("] ")
                    .put(f.message());
        }
        out.put('\n');
    }

    private void registers(Map<GuestRegister, Long> regs) {
        regs.forEach((r, v) -> out.put(regNames[r.index()]).hex(v));
    }

    @Override
    public void end(TraceEnd end) {
        out.put("# end: ");
        if (end.limitReached()) {
            out.put("stopped cleanly at the trace limit of ").dec(end.instructions())
                    .put(" instructions (the function had not returned)");
        } else if (end.result() instanceof CallResult.Returned r) {
            out.put("returned ").hex(r.value()).put(" after ").dec(end.instructions()).put(" instructions");
        } else if (end.result() instanceof CallResult.Faulted f) {
            out.put("faulted: ").put(f.fault().describe()).put(" after ").dec(end.instructions())
                    .put(" instructions");
        }
        out.put(", ").dec(end.hypercalls()).put(end.hypercalls() == 1 ? " hypercall\n" : " hypercalls\n");
        out.flush();
    }

    @Override
    public void close() {
        out.flush();
    }
}
