package io.hvprobe.coverage;

import io.hvprobe.disasm.DecodeDetail;
import io.hvprobe.disasm.Disassembler;
import io.hvprobe.disasm.DisassemblerUnavailableException;
import io.hvprobe.disasm.Instruction;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.run.SourceLocation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the {@link SiteCode} of trap sites in one loaded object: the source line from its debug information (with
 * the lines around it when the source file is readable here), else the disassembly around the site. Each function
 * is decoded once and each source file read once however many sites it holds; close it to release the
 * disassembler.
 */
public final class SiteCodeReader implements AutoCloseable {
    /** Instructions shown before and after the trap. */
    static final int AROUND = 4;
    /** Source lines shown before and after the site's line. */
    static final int CONTEXT = 2;
    /** Longest function decoded from its start; in a longer one the window starts at the site. */
    private static final int MAX_FUNCTION_BYTES = 256 * 1024;
    /** Largest source file read for its text. */
    private static final long MAX_SOURCE_BYTES = 8L << 20;
    /** What a source file is called: C, C++, assembly, Rust. */
    private static final java.util.regex.Pattern SOURCE_NAME = java.util.regex.Pattern.compile(
            ".*\\.(c|h|cc|cpp|cxx|hh|hpp|S|s|rs|inc)");
    /** Longest source line kept. */
    private static final int MAX_LINE = 400;

    private final GuestImage image;
    private final Map<Long, List<Instruction>> decoded = new HashMap<>();
    private final Map<String, List<String>> sources = new HashMap<>();
    private Disassembler disassembler;
    private String noDisassembler;

    /**
     * A reader of {@code image}'s code.
     *
     * @param image the loaded object whose sites are read; must stay open while this reader is used
     */
    public SiteCodeReader(GuestImage image) {
        this.image = image;
    }

    /**
     * The code at the trap site {@code address}.
     *
     * @param address a trap site's guest address
     * @return its source line with the lines around it, else the disassembly around it, else why neither
     */
    public SiteCode code(long address) {
        Optional<SourceLocation> at = image.source(address).flatMap(SourceLocation::from);
        if (at.isPresent()) {
            return new SiteCode.Source(at.get(), text(at.get()));
        }
        return disassembly(address);
    }

    private SiteCode disassembly(long address) {
        Optional<Disassembler> d = disassembler();
        if (d.isEmpty()) {
            return new SiteCode.Unavailable(noDisassembler);
        }
        Optional<GuestSymbol> fn = image.functions().stream().filter(f -> f.covers(address)).findFirst();
        List<Instruction> insns = fn.filter(f -> f.size() <= MAX_FUNCTION_BYTES)
                .map(f -> decoded.computeIfAbsent(f.address(), a -> sweep(d.get(), a, f.size())))
                .orElse(List.of());
        int at = indexOf(insns, address);
        if (at < 0) {
            // No function, a huge one, or the sweep from its start does not meet the site: decode from the site.
            insns = sweep(d.get(), address, 16L * (AROUND + 1));
            at = indexOf(insns, address);
            if (at < 0) {
                return new SiteCode.Unavailable("0x" + Long.toHexString(address) + " is not mapped");
            }
        }
        List<SiteCode.CodeLine> lines = new ArrayList<>();
        for (Instruction i : insns.subList(Math.max(0, at - AROUND), Math.min(insns.size(), at + AROUND + 1))) {
            lines.add(new SiteCode.CodeLine(i.address(), i.text(), i.address() == address));
        }
        return new SiteCode.Disassembly(lines);
    }

    private List<Instruction> sweep(Disassembler d, long from, long size) {
        long length = size;
        while (length > 0) {
            try {
                return d.disassemble(image.read(from, (int) length), from);
            } catch (IllegalArgumentException e) {
                length /= 2; // the function or window runs past its segment's end: take less
            }
        }
        return List.of();
    }

    private static int indexOf(List<Instruction> insns, long address) {
        for (int i = 0; i < insns.size(); i++) {
            if (insns.get(i).address() == address) {
                return i;
            }
        }
        return -1;
    }

    private Optional<Disassembler> disassembler() {
        if (disassembler == null && noDisassembler == null) {
            try {
                disassembler = Disassembler.open(image.arch(), DecodeDetail.TEXT, 0);
            } catch (DisassemblerUnavailableException e) {
                noDisassembler = "no disassembler: " + e.getMessage();
            }
        }
        return Optional.ofNullable(disassembler);
    }

    private List<SiteCode.TextLine> text(SourceLocation at) {
        List<String> file = sources.computeIfAbsent(at.file(), SiteCodeReader::read);
        List<SiteCode.TextLine> out = new ArrayList<>();
        if (at.line() > file.size()) {
            return out; // a file that is not the one compiled: no text rather than the wrong text
        }
        for (int n = Math.max(1, at.line() - CONTEXT); n <= Math.min(file.size(), at.line() + CONTEXT); n++) {
            String line = file.get(n - 1);
            out.add(new SiteCode.TextLine(n, line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "…" : line));
        }
        return out;
    }

    /**
     * The lines of a readable UTF-8 source file of sane size, else none. Only files named like source code are
     * read: the name comes from the object, and a report must not quote whatever file an object names.
     */
    private static List<String> read(String file) {
        if (!SOURCE_NAME.matcher(file).matches()) {
            return List.of();
        }
        try {
            Path p = Path.of(file);
            if (!Files.isRegularFile(p) || Files.size(p) > MAX_SOURCE_BYTES) {
                return List.of();
            }
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException | InvalidPathException | SecurityException e) {
            return List.of(); // unreadable or not UTF-8: the position alone still helps
        }
    }

    @Override
    public void close() {
        if (disassembler != null) {
            disassembler.close();
        }
    }
}
