package io.hvprobe.cli;

import io.hvprobe.disasm.DecodeDetail;
import io.hvprobe.disasm.Disassembler;
import io.hvprobe.disasm.Instruction;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.LoadOptions;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.trap.TrapSite;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hvprobe.loader.SymbolType;
import io.hvprobe.run.SourceLocation;
import io.hvprobe.run.SourceMap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Optional;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code hvprobe disasm}: the disassembly of one function or of every function of an object, with trap sites and
 * branch/data targets named, as text or JSON, optionally interleaved with source lines.
 */
@Command(name = "disasm", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Disassemble one function, or every function of the object, as loaded (relocations applied),"
                + " marking trap sites, naming the targets of calls, jumps and rip/pc-relative references, and"
                + " showing the relocation that produced an operand ([R_X86_64_32 .rodata+0x20]).",
        footer = {"", "Examples:", "  # objects under firmware-samples/target/matrix",
                "  hvprobe disasm x86_64/gcc/O2/detect-port.o --function hv_detect",
                "  hvprobe disasm x86_64/gcc/kernel-fentry/rpc-port.o -f rpc_open_close",
                "  hvprobe disasm arm64/gcc/O2/detect-hvc.o --format json",
                "  hvprobe disasm x86_64/gcc/O2-dwarf5/bugs-port.o --source \\",
                "      -f bug_balloon_assumes_esi_kept",
                "", "Exit status: 0 printed, 2 usage, 3 input (missing file, unknown function), 4 internal."})
final class DisasmCommand implements Callable<Integer> {
    private static final Pattern RIP = Pattern.compile("\\[rip ([+-]) (0x[0-9a-f]+)\\]");
    private static final Pattern X86_TARGET = Pattern.compile("^(0x[0-9a-f]+)$");
    private static final Pattern ARM_TARGET = Pattern.compile("#(0x[0-9a-f]+)$");

    @Parameters(index = "0", paramLabel = "OBJ", description = "ELF object.")
    String object;

    @Option(names = {"-f", "--function"}, paramLabel = "F",
            description = "Function (default: every function of the object, in address order).")
    String function;

    @Mixin
    FormatOptions.Listing format;

    @Mixin
    SourceOptions debug;

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where {@code --source} gets its source map (tests give a hand-made one). */
    java.util.function.BiFunction<java.nio.file.Path, GuestImage, SourceMap> sourceMaps = SourceMaps::of;

    /** One disassembled instruction with what the listing says about it. */
    record Line(GuestSymbol function, Instruction insn, String trap, String target, List<String> relocations,
                Optional<SourceLocation> source) {
    }

    @Override
    public Integer call() throws UnknownFunctionException {
        java.nio.file.Path file = GuestObjects.existing(object);
        GuestImage image = GuestObjects.load(file, debug.apply(LoadOptions.defaults()));
        RelocationNotes relocations = RelocationNotes.of(file, image);
        List<GuestSymbol> functions = function != null ? List.of(Options.function(image, object, function))
                : image.functions().stream().filter(f -> f.type() != SymbolType.OBJECT)
                .sorted(java.util.Comparator.comparingLong(GuestSymbol::address)).toList();
        SourceMap sources = debug.source ? sourceMaps.apply(file, image) : SourceMap.NONE;
        Map<Long, TrapSite> sites = new HashMap<>();
        for (StaticSites.Site s : StaticSites.scan(image)) {
            sites.put(s.site().address(), s.site());
        }
        PrintWriter out = spec.commandLine().getOut();
        Paint paint = Paint.forStdout(common);
        ObjectNode root = Json.object().put("object", object).put("arch", image.arch().name().toLowerCase(Locale.ROOT));
        ArrayNode fs = root.putArray("functions");
        boolean anySource = false;
        try (Disassembler d = Disassembler.open(image.arch(), DecodeDetail.TEXT)) {
            for (GuestSymbol fn : functions) {
                long size = fn.size() > 0 ? fn.size() : image.segmentAt(fn.address())
                        .map(s -> s.end() - fn.address()).orElse(16L);
                byte[] code = image.read(fn.address(), (int) Math.min(size, 1 << 20));
                List<Line> lines = new ArrayList<>();
                for (Instruction i : d.disassemble(code, fn.address())) {
                    TrapSite t = sites.get(i.address());
                    String trap = t == null ? null : t.form() + (StaticSites.detail(t).isEmpty() ? ""
                            : " " + StaticSites.detail(t));
                    lines.add(new Line(fn, i, trap, t == null ? target(image, i) : null,
                            t == null ? relocations.within(i.address(), i.end()) : List.of(),
                            sources.locate(i.address())));
                }
                anySource |= lines.stream().anyMatch(l -> l.source().isPresent());
                if (format.json()) {
                    json(fs.addObject(), fn, code.length, lines);
                } else {
                    text(out, paint, image, fn, code.length, lines);
                }
            }
        }
        if (format.json()) {
            out.println(Json.write(root));
        }
        out.flush();
        if (debug.source && !anySource && !common.quiet) {
            // Why there is none: no debug information at all (and no build-id file), or none for these bytes.
            spec.commandLine().getErr().println(image.debug().info().isPresent()
                    ? "hvprobe: " + object + ": no source line information for these instructions (compile with -g)"
                    : "hvprobe: " + object + ": " + reason(file, image.debug().info().summary()));
            spec.commandLine().getErr().flush();
        }
        return Main.EXIT_OK;
    }

    /** The reader's reason without its own base-name prefix, so the message names the path as given. */
    private static String reason(java.nio.file.Path file, String summary) {
        String prefix = file.getFileName() + ": ";
        return summary.startsWith(prefix) ? summary.substring(prefix.length()) : summary;
    }

    private void text(PrintWriter out, Paint paint, GuestImage image, GuestSymbol fn, int length, List<Line> lines) {
        out.printf(Locale.ROOT, "%s in %s (%s), 0x%x, %d bytes:%n", paint.bold(fn.name()), object,
                image.arch().name().toLowerCase(Locale.ROOT), fn.address(), length);
        String lastSource = null;
        for (Line l : lines) {
            if (l.source().isPresent()) {
                String where = l.source().get().position();
                if (!where.equals(lastSource)) {
                    out.println(paint.dim(SourceText.heading(l.source().get())));
                    lastSource = where;
                }
            }
            String note = "";
            if (l.trap() != null) {
                note = paint.severity(io.hvprobe.spi.Severity.WARNING, "<-- trap: " + l.trap());
            } else {
                // What the operand refers to, then the relocations that produced it (objdump -r style).
                String text = (l.target() != null ? l.target() : "") + (l.relocations().isEmpty() ? ""
                        : (l.target() != null ? "  " : "") + "[" + String.join(", ", l.relocations()) + "]");
                if (!text.isEmpty()) {
                    note = paint.dim("; " + text);
                }
            }
            Instruction i = l.insn();
            String loc = "+0x" + Long.toHexString(i.address() - fn.address());
            out.println(String.format(Locale.ROOT, "  %-8s %-10s %-24s %-36s %s", loc,
                    Long.toHexString(i.address()), HexFormat.ofDelimiter(" ").formatHex(i.bytes()), i.text(),
                    note).stripTrailing());
        }
    }

    private static void json(ObjectNode n, GuestSymbol fn, int length, List<Line> lines) {
        n.put("name", fn.name()).put("address", Values.hex(fn.address())).put("size", length);
        ArrayNode insns = n.putArray("instructions");
        for (Line l : lines) {
            Instruction i = l.insn();
            ObjectNode o = insns.addObject().put("offset", i.address() - fn.address())
                    .put("address", Values.hex(i.address())).put("bytes", HexFormat.of().formatHex(i.bytes()))
                    .put("text", i.text());
            if (l.trap() != null) {
                o.put("trap", l.trap());
            }
            if (l.target() != null) {
                o.put("target", l.target());
            }
            if (!l.relocations().isEmpty()) {
                ArrayNode r = o.putArray("relocations");
                l.relocations().forEach(r::add);
            }
            l.source().ifPresent(s -> o.putObject("source").put("file", s.file()).put("line", s.line())
                    .put("column", s.column()).put("function", s.function()));
        }
    }

    /** The symbol a call/jump/rip-relative operand refers to, or null. */
    static String target(GuestImage image, Instruction i) {
        Long address = null;
        Matcher rip = RIP.matcher(i.operands());
        if (rip.find()) {
            long disp = Long.parseUnsignedLong(rip.group(2).substring(2), 16);
            address = i.end() + (rip.group(1).equals("-") ? -disp : disp);
        } else if (i.mnemonic().startsWith("j") || i.mnemonic().startsWith("call")
                || i.mnemonic().startsWith("loop")) {
            Matcher m = X86_TARGET.matcher(i.operands().trim());
            if (m.find()) {
                address = Long.parseUnsignedLong(m.group(1).substring(2), 16);
            }
        } else if (List.of("b", "bl", "cbz", "cbnz", "tbz", "tbnz", "adr", "adrp").contains(i.mnemonic())
                || i.mnemonic().startsWith("b.")) {
            Matcher m = ARM_TARGET.matcher(i.operands().trim());
            if (m.find()) {
                address = Long.parseUnsignedLong(m.group(1).substring(2), 16);
            }
        }
        if (address == null) {
            return null;
        }
        String name = image.symbolize(address);
        if (name.startsWith("0x")) {
            final long a = address;
            name = image.sections().stream().filter(s -> s.contains(a)).findFirst()
                    .map(s -> s.name() + "+0x" + Long.toHexString(a - s.address())).orElse(null);
        }
        return name;
    }
}
