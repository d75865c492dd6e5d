package io.hvprobe.cli;

import io.hvprobe.disasm.DecodeDetail;
import io.hvprobe.disasm.Disassembler;
import io.hvprobe.disasm.Instruction;
import io.hvprobe.dwarf.SourceLine;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.loader.LoadOptions;
import io.hvprobe.trap.TrapSite;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code hvprobe disasm}: one function's disassembly with trap sites and branch/data targets named. */
@Command(name = "disasm", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Disassemble one function as loaded (relocations applied), marking trap sites, naming"
                + " the targets of calls, jumps and rip/pc-relative references, and showing the relocation that"
                + " produced an operand ([R_X86_64_32 .rodata+0x20]).",
        footer = {"", "Examples:", "  # objects under firmware-samples/target/matrix",
                "  hvprobe disasm x86_64/gcc/O2/detect-port.o --function hv_detect",
                "  hvprobe disasm x86_64/gcc/kernel-fentry/rpc-port.o -f rpc_open_close",
                "  hvprobe disasm x86_64/gcc/O2-dwarf5/bugs-port.o --source \\",
                "      -f bug_balloon_assumes_esi_kept",
                "", "Exit status: 0 printed, 2 usage, 3 input (missing file, unknown function), 4 internal."})
final class DisasmCommand implements Callable<Integer> {
    private static final Pattern RIP = Pattern.compile("\\[rip ([+-]) (0x[0-9a-f]+)\\]");
    private static final Pattern X86_TARGET = Pattern.compile("^(0x[0-9a-f]+)$");
    private static final Pattern ARM_TARGET = Pattern.compile("#(0x[0-9a-f]+)$");

    @Parameters(index = "0", paramLabel = "OBJ", description = "ELF object.")
    String object;

    @Option(names = {"-f", "--function"}, required = true, paramLabel = "F", description = "Function.")
    String function;

    @Mixin
    SourceOptions sources;

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws UnknownFunctionException {
        java.nio.file.Path file = GuestObjects.existing(object);
        GuestImage image = GuestObjects.load(file, sources.apply(LoadOptions.defaults()));
        RelocationNotes relocations = RelocationNotes.of(file, image);
        GuestSymbol fn = Options.function(image, object, function);
        long size = fn.size() > 0 ? fn.size() : image.segmentAt(fn.address()).map(s -> s.end() - fn.address())
                .orElse(16L);
        byte[] code = image.read(fn.address(), (int) Math.min(size, 1 << 20));
        Map<Long, TrapSite> sites = new HashMap<>();
        for (StaticSites.Site s : StaticSites.scan(image)) {
            sites.put(s.site().address(), s.site());
        }
        PrintWriter out = spec.commandLine().getOut();
        Paint paint = Paint.forStdout(common);
        out.printf(Locale.ROOT, "%s in %s (%s), 0x%x, %d bytes:%n", paint.bold(function), object,
                image.arch().name().toLowerCase(Locale.ROOT), fn.address(), code.length);
        if (sources.source && !image.debug().info().isPresent()) {
            spec.commandLine().getErr().println("hvprobe: " + image.debug().info().summary());
        }
        try (Disassembler d = Disassembler.open(image.arch(), DecodeDetail.TEXT)) {
            List<Instruction> insns = d.disassemble(code, fn.address());
            String lastSource = "";
            for (Instruction i : insns) {
                if (sources.source) {
                    String source = image.source(i.address()).map(SourceLine::describe).orElse("");
                    if (!source.isEmpty() && !source.equals(lastSource)) {
                        out.println(paint.dim("  ; " + source));
                    }
                    lastSource = source;
                }
                String note = "";
                TrapSite t = sites.get(i.address());
                if (t != null) {
                    String detail = StaticSites.detail(t);
                    note = paint.severity(io.hvprobe.spi.Severity.WARNING,
                            "<-- trap: " + t.form() + (detail.isEmpty() ? "" : " " + detail));
                } else {
                    // What the operand refers to, then the relocations that produced it (objdump -r style).
                    String target = target(image, i);
                    List<String> relocs = relocations.within(i.address(), i.end());
                    String text = (target != null ? target : "")
                            + (relocs.isEmpty() ? "" : (target != null ? "  " : "") + "[" + String.join(", ", relocs)
                            + "]");
                    if (!text.isEmpty()) {
                        note = paint.dim("; " + text);
                    }
                }
                String loc = "+0x" + Long.toHexString(i.address() - fn.address());
                out.println(String.format(Locale.ROOT, "  %-8s %-10s %-24s %-36s %s", loc,
                        Long.toHexString(i.address()), HexFormat.ofDelimiter(" ").formatHex(i.bytes()), i.text(),
                        note).stripTrailing());
            }
        }
        out.flush();
        return Main.EXIT_OK;
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
