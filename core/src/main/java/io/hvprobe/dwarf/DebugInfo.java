package io.hvprobe.dwarf;

import io.hvprobe.elf.ElfFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Source lines and inline chains of one ELF file's DWARF ({@code .debug_line}, {@code .debug_info} and the
 * sections they refer to, DWARF 2 to 5). Reading never throws: a file without debug information, or with
 * debug information that cannot be read, gives an instance whose {@link #lookup} is always empty and whose
 * {@link #summary} says why.
 *
 * <pre>{@code
 * DebugInfo d = DebugInfo.read(elf, placement);          // placement: where ET_REL sections were loaded
 * d.lookup(0x1000_0029L).map(SourceLine::describe);       // "bugs_x86_64.c:419:9 in balloon_esi_kept, ..."
 * }</pre>
 */
public final class DebugInfo {
    private static final int NAME_CHAIN_LIMIT = 16;

    private final String summary;
    private final LineTable lines;
    private final List<InfoReader.Unit> units;
    private final List<InfoReader.Scope> scopes;
    private final java.util.Map<Long, InfoReader.Naming> names;
    private final long[] topStart;
    private final long[] topEnd;
    private final int[] topScope;

    private DebugInfo(String summary, InfoReader r, LineTable lines) {
        this.summary = summary;
        this.lines = lines;
        this.units = r == null ? List.of() : r.units;
        this.scopes = r == null ? List.of() : r.scopes;
        this.names = r == null ? java.util.Map.of() : r.names;
        List<long[]> top = new ArrayList<>();
        for (int i = 0; i < scopes.size(); i++) {
            InfoReader.Scope s = scopes.get(i);
            if (s.parent < 0) {
                for (int k = 0; k < s.ranges.length; k += 2) {
                    top.add(new long[] {s.ranges[k], s.ranges[k + 1], i});
                }
            }
        }
        top.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
        topStart = new long[top.size()];
        topEnd = new long[top.size()];
        topScope = new int[top.size()];
        for (int i = 0; i < top.size(); i++) {
            topStart[i] = top.get(i)[0];
            topEnd[i] = top.get(i)[1];
            topScope[i] = (int) top.get(i)[2];
        }
    }

    /**
     * Debug information that is absent; {@code reason} is one line (e.g. "no .debug_info").
     *
     * @param reason why there is no debug information, one line without a trailing period
     * @return debug information with no lines, whose {@link #summary()} is {@code reason}
     */
    public static DebugInfo none(String reason) {
        return new DebugInfo(reason, null, null);
    }

    /**
     * Reads {@code elf}'s DWARF. For {@code ET_REL} files the {@code .rela.debug_*} relocations are applied with
     * {@code placement}'s section addresses; linked files keep their link addresses.
     *
     * @param elf       the parsed ELF file
     * @param placement where each section of a relocatable object was placed in guest memory
     * @return the line tables and inline chains read, or {@link #none(String)} with the reason when the file has no
     *         usable DWARF; never throws for malformed DWARF
     */
    public static DebugInfo read(ElfFile elf, SectionPlacement placement) {
        if (!DebugSections.present(elf)) {
            return none(elf.name() + ": no debug information (.debug_info)");
        }
        try {
            return parse(elf, placement, InfoReader.Limits.DEFAULT);
        } catch (DwarfFormatException e) {
            return none(elf.name() + ": debug information unreadable: " + e.getMessage());
        } catch (RuntimeException e) {
            // A reader bug must not take the run down; the fuzz test holds parse() free of these.
            return none(elf.name() + ": debug information unreadable: internal error " + e);
        }
    }

    /** The reader proper: every problem is a {@link DwarfFormatException}. */
    static DebugInfo parse(ElfFile elf, SectionPlacement placement, InfoReader.Limits limits)
            throws DwarfFormatException {
        DebugSections sections = DebugSections.read(elf, placement);
        InfoReader r = new InfoReader(sections, limits);
        r.read();
        LineTable lines = r.rows.build();
        return new DebugInfo(elf.name() + ": " + r.units.size() + " units, " + lines.size() + " line ranges, "
                + r.scopes.size() + " functions and inlined calls with code", r, lines);
    }

    /** {@return whether any line information was read} */
    public boolean isPresent() {
        return lines != null && lines.size() > 0;
    }

    /** {@return one line: what was read, or why nothing was} */
    public String summary() {
        return summary;
    }

    /**
     * The source line and inline chain of the instruction at {@code address}, if the line table covers it.
     *
     * @param address a file address (for linked files) or a placed section address (for relocatable objects)
     * @return the source line, or empty when no line table row covers {@code address}
     */
    public Optional<SourceLine> lookup(long address) {
        if (lines == null) {
            return Optional.empty();
        }
        Optional<LineTable.Row> row = lines.lookup(address);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        List<InfoReader.Scope> chain = chain(address);
        // Only the inlined steps below the innermost real subprogram form the chain.
        int outer = 0;
        for (int i = chain.size() - 1; i >= 0; i--) {
            if (!chain.get(i).inlined) {
                outer = i;
                break;
            }
        }
        chain = chain.subList(outer, chain.size());
        LineTable.Row r = row.get();
        String function = chain.isEmpty() ? "" : name(chain.getLast().nameDie);
        List<InlinedCall> calls = new ArrayList<>();
        for (int i = chain.size() - 1; i > 0; i--) {
            InfoReader.Scope inner = chain.get(i);
            InfoReader.Unit unit = units.get(inner.unit);
            String file = inner.callFile >= 0 && inner.callFile < unit.files.size() ? unit.files.get(inner.callFile)
                    : "";
            calls.add(new InlinedCall(name(chain.get(i - 1).nameDie), file, inner.callLine, inner.callColumn));
        }
        return Optional.of(new SourceLine(r.file(), r.line(), r.column(), function, calls));
    }

    /** Scopes covering {@code address}, outermost first. */
    private List<InfoReader.Scope> chain(long address) {
        List<InfoReader.Scope> out = new ArrayList<>();
        int i = upperBound(address) - 1;
        int found = -1;
        for (int k = i; k >= 0 && k > i - 64; k--) {
            if (Long.compareUnsigned(topStart[k], address) <= 0 && Long.compareUnsigned(address, topEnd[k]) < 0) {
                found = topScope[k];
                break;
            }
        }
        int guard = 0;
        while (found >= 0 && guard++ < 4096) {
            InfoReader.Scope s = scopes.get(found);
            out.add(s);
            found = -1;
            for (int child : s.children) {
                if (scopes.get(child).contains(address)) {
                    found = child;
                    break;
                }
            }
        }
        return out;
    }

    private int upperBound(long address) {
        int lo = 0;
        int hi = topStart.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(topStart[mid], address) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private String name(long die) {
        long at = die;
        for (int i = 0; i < NAME_CHAIN_LIMIT; i++) {
            InfoReader.Naming n = names.get(at);
            if (n == null) {
                return "";
            }
            if (n.name() != null) {
                return n.name();
            }
            if (n.reference() < 0) {
                return "";
            }
            at = n.reference();
        }
        return "";
    }

    @Override
    public String toString() {
        return summary;
    }
}
