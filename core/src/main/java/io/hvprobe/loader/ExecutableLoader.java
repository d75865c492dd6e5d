package io.hvprobe.loader;

import static io.hvprobe.loader.ImageBuilder.PAGE;
import static io.hvprobe.loader.ImageBuilder.hex;

import io.hvprobe.dwarf.DebugSource;
import io.hvprobe.dwarf.SectionPlacement;
import io.hvprobe.elf.ElfConstants;
import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.ElfProgramHeader;
import io.hvprobe.elf.ElfRelocation;
import io.hvprobe.elf.ElfRelocationSection;
import io.hvprobe.elf.ElfSection;
import io.hvprobe.elf.ElfSymbol;
import io.hvprobe.elf.ElfSymbolTable;
import io.hvprobe.elf.ElfType;
import io.hvprobe.elf.RelocationTypes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Loads {@code ET_EXEC} files at their link addresses and {@code ET_DYN} files moved so their lowest page sits
 * at the base address: {@code PT_LOAD} segments (page-rounded; segments sharing a page are merged with the union
 * of their permissions), then stubs for undefined dynamic symbols after the highest segment, then the dynamic
 * relocations from the allocatable {@code SHT_RELA} sections ({@code .rela.dyn}, {@code .rela.plt}), and the
 * thread-local storage area when the image has a {@code PT_TLS} template or TLS relocations ({@link TlsLayout}).
 */
final class ExecutableLoader {
    /** The C library's thread-local {@code errno}, and the function that returns its address. */
    private static final String ERRNO = "errno";
    private static final String ERRNO_LOCATION = "__errno_location";

    private final ElfFile elf;
    private final LoadOptions options;
    private final Relocator relocator;
    private final ImageBuilder image;
    /** The program-wide TLS when loaded with other objects (ProgramLinker places its area); null alone. */
    private final ProgramTls programTls;

    private record Range(ElfProgramHeader header, long start, long end) {
    }

    ExecutableLoader(ElfFile elf, LoadOptions options) {
        this(elf, options, null);
    }

    /** Loads {@code elf} as one of several objects whose TLS is {@code programTls} (null: the object alone). */
    ExecutableLoader(ElfFile elf, LoadOptions options, ProgramTls programTls) {
        this.programTls = programTls;
        this.elf = elf;
        this.options = options;
        this.relocator = Relocator.forArch(elf.header().arch());
        this.image = new ImageBuilder(elf.name(), options.maxImageSize());
    }

    GuestImage load() throws LoadException {
        boolean shared = elf.header().type() == ElfType.SHARED_OBJECT;
        List<ElfProgramHeader> loads = elf.programHeaders().stream()
                .filter(p -> p.isLoad() && p.memorySize() != 0).toList();
        if (loads.isEmpty()) {
            throw image.error("no PT_LOAD segments to load");
        }
        long lowest = Long.MAX_VALUE;
        for (ElfProgramHeader p : loads) {
            if (p.virtualAddress() < 0) {
                throw image.error("program header " + p.index() + " at " + hex(p.virtualAddress())
                        + ": upper-half addresses (from 0x8000000000000000, e.g. a linked kernel image) are not"
                        + " supported");
            }
            if (Long.compareUnsigned(p.memorySize(), options.maxImageSize()) > 0) {
                throw image.error("program header " + p.index() + " size " + hex(p.memorySize())
                        + " exceeds the image cap of " + hex(options.maxImageSize()) + " bytes");
            }
            lowest = Math.min(lowest, ImageBuilder.alignDown(p.virtualAddress(), PAGE));
        }
        long bias = shared ? options.baseAddress() - lowest : 0;
        long highest = loadSegments(loads, bias);
        addSections(bias);

        Map<Integer, ElfSymbolTable> tables = new LinkedHashMap<>();
        List<ElfRelocationSection> relocations = dynamicRelocations(tables);
        ElfProgramHeader template = elf.programHeaders().stream()
                .filter(p -> p.type() == ElfConstants.PT_TLS).findFirst().orElse(null);
        List<String> tlsImports = new ArrayList<>(tlsImports(relocations, tables));
        List<StubPlan.Need> needs = new ArrayList<>(needs(relocations, tables));
        // The C library's errno is a thread-local variable: code that asks __errno_location for it gets its slot.
        if (needs.stream().anyMatch(n -> n.name().equals(ERRNO_LOCATION)) && !tlsImports.contains(ERRNO)) {
            tlsImports.add(ERRNO);
        }
        boolean descriptors = uses(relocations, DynamicKind.TLS_DESCRIPTOR);
        if (descriptors) {
            needs.add(new StubPlan.Need(TlsLayout.DESCRIPTOR_RESOLVER, ElfConstants.STT_FUNC, true));
        }
        boolean tls = template != null || !tlsImports.isEmpty() || descriptors
                || needs.stream().anyMatch(n -> n.name().equals(TlsLayout.GET_ADDR))
                || uses(relocations, DynamicKind.TLS_MODULE) || uses(relocations, DynamicKind.TLS_BLOCK_OFFSET)
                || uses(relocations, DynamicKind.TLS_THREAD_OFFSET);
        StubPlan stubs = new StubPlan(needs, options, relocator, image);
        long codeBase = image.alignUp(highest, PAGE);
        ImageBuilder.Draft codeArea = image.synthetic("stubs", ".hvprobe.stubs", codeBase, stubs.codeSize(),
                Permissions.READ_EXECUTE, ElfConstants.SHF_ALLOC | ElfConstants.SHF_EXECINSTR);
        long cellBase = image.alignUp(codeBase + stubs.codeSize(), PAGE);
        ImageBuilder.Draft cellArea = image.synthetic("cells", ".hvprobe.cells", cellBase, stubs.cellSize(),
                Permissions.READ_WRITE, ElfConstants.SHF_ALLOC | ElfConstants.SHF_WRITE);
        List<Stub> placed = stubs.place(codeArea, codeBase, cellArea, cellBase);
        ProgramTls tlsView = programTls;
        ImageBuilder.Draft tlsArea = null;
        if (tls && tlsView == null) {
            List<TlsLayout.Template> own = template == null ? List.of() : List.of(new TlsLayout.Template(
                    template.memorySize(), Math.max(1, template.alignment()), elf.contents(template)));
            TlsLayout layout = TlsLayout.of(relocator.tlsVariant(), image.alignUp(cellBase + stubs.cellSize(), PAGE),
                    own, tlsImports, image);
            tlsArea = image.synthetic("tls", ".hvprobe.tls", layout.base(), layout.size(),
                    Permissions.READ_WRITE, ElfConstants.SHF_ALLOC | ElfConstants.SHF_WRITE);
            layout.write(tlsArea);
            tlsView = new ProgramTls(layout, own.isEmpty() ? 0 : 1, Map.of());
        }
        GlobalOffsetTable got = apply(relocations, tables, stubs, bias, tlsView);

        List<GuestSymbol> defined = definedSymbols(bias);
        defined.addAll(stubs.absoluteSymbols());
        TlsLayout tlsLayout = tlsArea == null ? null : tlsView.layout();
        if (tlsLayout != null && tlsImports.contains(ERRNO)) {
            long at = tlsLayout.importBlock() + tlsLayout.importOffset(ERRNO);
            defined.add(new GuestSymbol(ERRNO, at, 4, SymbolType.OBJECT, SymbolBinding.GLOBAL, ".hvprobe.tls"));
        }
        long entry = elf.header().entry();
        return new GuestImage(elf.header().arch(), elf.name(),
                shared ? ImageKind.SHARED_OBJECT : ImageKind.EXECUTABLE,
                entry == 0 ? OptionalLong.empty() : OptionalLong.of(entry + bias), image.segments(),
                image.sections(), new SymbolTable(defined, placed), placed, got,
                DebugSource.of(elf, SectionPlacement.atZero(), bias, options.debugRoots()),
                tlsLayout == null ? OptionalLong.empty() : OptionalLong.of(tlsLayout.threadPointer()));
    }

    private boolean uses(List<ElfRelocationSection> relocations, DynamicKind kind) {
        return relocations.stream().flatMap(rs -> rs.relocations().stream())
                .anyMatch(r -> relocator.dynamicKind(r.type()) == kind);
    }

    private static boolean isTls(DynamicKind kind) {
        return switch (kind) {
            case TLS_MODULE, TLS_BLOCK_OFFSET, TLS_THREAD_OFFSET, TLS_DESCRIPTOR -> true;
            case NONE, RELATIVE, GLOB_DAT, JUMP_SLOT, ABSOLUTE64, COPY, IRELATIVE, UNSUPPORTED -> false;
        };
    }

    /** The undefined thread-local variables the TLS relocations name, in first-use order. */
    private List<String> tlsImports(List<ElfRelocationSection> relocations, Map<Integer, ElfSymbolTable> tables) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (ElfRelocationSection rs : relocations) {
            for (ElfRelocation r : rs.relocations()) {
                ElfSymbol s = symbol(rs, r, tables);
                if (s != null && s.isUndefined() && !s.name().isEmpty() && isTls(relocator.dynamicKind(r.type()))) {
                    names.add(s.name());
                }
            }
        }
        return List.copyOf(names);
    }

    /** Maps the PT_LOAD ranges; returns the first address past the highest one. */
    private long loadSegments(List<ElfProgramHeader> loads, long bias) throws LoadException {
        List<Range> ranges = new ArrayList<>();
        for (ElfProgramHeader p : loads) {
            long start = p.virtualAddress() + bias;
            if (start < 0 || p.memorySize() > Long.MAX_VALUE - PAGE - start) {
                throw image.error("program header " + p.index() + " at " + hex(start) + " overflows the address space");
            }
            ranges.add(new Range(p, start, start + p.memorySize()));
        }
        ranges.sort(Comparator.comparingLong(Range::start));
        for (int i = 1; i < ranges.size(); i++) {
            if (ranges.get(i).start() < ranges.get(i - 1).end()) {
                throw image.error("program headers " + ranges.get(i - 1).header().index() + " and "
                        + ranges.get(i).header().index() + " overlap in memory");
            }
        }
        List<List<Range>> groups = new ArrayList<>();
        long groupEnd = Long.MIN_VALUE;
        for (Range r : ranges) {
            if (groups.isEmpty() || ImageBuilder.alignDown(r.start(), PAGE) >= groupEnd) {
                groups.add(new ArrayList<>());
            }
            groups.getLast().add(r);
            groupEnd = image.alignUp(r.end(), PAGE);
        }
        long highest = 0;
        for (int g = 0; g < groups.size(); g++) {
            List<Range> group = groups.get(g);
            long start = ImageBuilder.alignDown(group.getFirst().start(), PAGE);
            long end = image.alignUp(group.getLast().end(), PAGE);
            Permissions permissions = new Permissions(false, false, false);
            for (Range r : group) {
                permissions = permissions.union(permissions(r.header().flags()));
            }
            ImageBuilder.Draft d = image.segment("load" + g, start, end - start, permissions);
            for (Range r : group) {
                d.write(r.start(), elf.contents(r.header()));
            }
            highest = Math.max(highest, end);
        }
        return highest;
    }

    private static Permissions permissions(int flags) {
        return new Permissions((flags & ElfConstants.PF_R) != 0, (flags & ElfConstants.PF_W) != 0,
                (flags & ElfConstants.PF_X) != 0);
    }

    /**
     * Lists the allocated sections at their addresses. An executable one must lie inside one loaded segment: its
     * bytes are what a static scan sweeps and what runs, so code outside every {@code PT_LOAD} is a corrupt file,
     * not code to scan.
     */
    private void addSections(long bias) throws LoadException {
        for (ElfSection s : elf.sections()) {
            if (!s.isAllocated() || s.type() == ElfConstants.SHT_NULL) {
                continue;
            }
            long at = s.address() + bias;
            if (s.isExecutable() && s.size() != 0 && (at < 0 || image.find(at, s.size()) == null)) {
                throw image.error("section " + s.index() + (s.name().isEmpty() ? "" : " (" + s.name() + ")")
                        + " at " + hex(at) + " size " + hex(s.size())
                        + " holds code but lies outside every loaded segment");
            }
            image.addSection(new LoadedSection(s.name(), at, s.size(), s.flags(), s.isExecutable()));
            ImageBuilder.Draft d = s.size() == 0 ? null : image.find(at, 1);
            if (d != null) {
                d.sectionNames.add(s.name());
            }
        }
    }

    private List<ElfRelocationSection> dynamicRelocations(Map<Integer, ElfSymbolTable> tables)
            throws LoadException {
        List<ElfRelocationSection> out = new ArrayList<>();
        for (ElfRelocationSection rs : elf.relocationSections()) {
            if (!rs.section().isAllocated()) {
                continue; // --emit-relocs leftovers and debug relocations are not applied to linked files
            }
            if (rs.symbolTable() != 0) {
                ElfSymbolTable t = elf.symbolTableAt(rs.symbolTable()).orElseThrow();
                tables.put(rs.symbolTable(), t);
            }
            for (ElfRelocation r : rs.relocations()) {
                if (relocator.dynamicKind(r.type()) == DynamicKind.UNSUPPORTED) {
                    throw error(rs, r, "unsupported dynamic relocation type");
                }
            }
            out.add(rs);
        }
        return out;
    }

    private List<StubPlan.Need> needs(List<ElfRelocationSection> relocations, Map<Integer, ElfSymbolTable> tables) {
        Map<String, StubPlan.Need> needs = new LinkedHashMap<>();
        for (ElfRelocationSection rs : relocations) {
            for (ElfRelocation r : rs.relocations()) {
                ElfSymbol s = symbol(rs, r, tables);
                if (s != null && s.isUndefined() && !s.name().isEmpty()
                        && !isTls(relocator.dynamicKind(r.type())) && s.type() != ElfConstants.STT_TLS) {
                    boolean called = relocator.dynamicKind(r.type()) == DynamicKind.JUMP_SLOT;
                    needs.merge(s.name(), new StubPlan.Need(s.name(), s.type(), called),
                            (a, b) -> new StubPlan.Need(a.name(), a.elfType(), a.called() || b.called()));
                }
            }
        }
        return List.copyOf(needs.values());
    }

    private static ElfSymbol symbol(ElfRelocationSection rs, ElfRelocation r, Map<Integer, ElfSymbolTable> tables) {
        ElfSymbolTable t = tables.get(rs.symbolTable());
        return t == null || r.symbolIndex() == 0 ? null : t.symbols().get(r.symbolIndex());
    }

    private GlobalOffsetTable apply(List<ElfRelocationSection> relocations, Map<Integer, ElfSymbolTable> tables,
                                    StubPlan stubs, long bias, ProgramTls tls) throws LoadException {
        List<GotEntry> got = new ArrayList<>();
        List<IfuncSlot> ifuncs = new ArrayList<>();
        for (ElfRelocationSection rs : relocations) {
            for (ElfRelocation r : rs.relocations()) {
                DynamicKind kind = relocator.dynamicKind(r.type());
                // COPY: the executable's own (zeroed) copy is the variable; no other object gives its bytes.
                if (kind == DynamicKind.NONE || kind == DynamicKind.COPY) {
                    continue;
                }
                long place = r.offset() + bias;
                int width = kind == DynamicKind.TLS_DESCRIPTOR ? 16 : 8;
                ImageBuilder.Draft d = place < 0 ? null : image.find(place, width);
                if (d == null) {
                    throw error(rs, r, "target " + hex(place) + " is outside the loaded segments");
                }
                ElfSymbol sym = symbol(rs, r, tables);
                byte[] bytes = new byte[width];
                if (isTls(kind)) {
                    ProgramTls.Definition at = tlsDefinition(rs, r, sym, tls);
                    long offset = at.offset() + r.addend();
                    switch (kind) {
                        case TLS_MODULE -> Relocator.put64(bytes, 0, at.module());
                        case TLS_BLOCK_OFFSET -> Relocator.put64(bytes, 0, offset);
                        case TLS_THREAD_OFFSET -> Relocator.put64(bytes, 0,
                                tls.layout().threadOffset(at.module(), offset));
                        case TLS_DESCRIPTOR -> {
                            Relocator.put64(bytes, 0, stubs.address(TlsLayout.DESCRIPTOR_RESOLVER).orElseThrow());
                            Relocator.put64(bytes, 8, tls.layout().threadOffset(at.module(), offset));
                        }
                        case NONE, RELATIVE, GLOB_DAT, JUMP_SLOT, ABSOLUTE64, COPY, IRELATIVE, UNSUPPORTED ->
                                throw new IllegalStateException(kind + " is not a TLS relocation");
                    }
                    d.write(place, bytes);
                    continue;
                }
                long s = symbolAddress(rs, r, sym, stubs, bias);
                long value = switch (kind) {
                    case RELATIVE -> bias + r.addend();
                    case GLOB_DAT, JUMP_SLOT -> s + (relocator.gotSlotIncludesAddend() ? r.addend() : 0);
                    case ABSOLUTE64 -> s + r.addend();
                    case IRELATIVE -> bias + r.addend(); // the resolver, until it has run
                    case NONE, COPY, UNSUPPORTED, TLS_MODULE, TLS_BLOCK_OFFSET, TLS_THREAD_OFFSET, TLS_DESCRIPTOR ->
                            throw new IllegalStateException(kind + " handled above");
                };
                boolean ifunc = kind == DynamicKind.IRELATIVE || (kind != DynamicKind.RELATIVE && sym != null
                        && !sym.isUndefined() && sym.type() == ElfConstants.STT_GNU_IFUNC);
                if (ifunc) {
                    ifuncs.add(new IfuncSlot(place, value));
                }
                Relocator.put64(bytes, 0, value);
                d.write(place, bytes);
                if (kind == DynamicKind.GLOB_DAT || kind == DynamicKind.JUMP_SLOT) {
                    got.add(new GotEntry(sym == null ? "" : sym.name(), place, value));
                }
            }
        }
        if (got.isEmpty() && ifuncs.isEmpty()) {
            return GlobalOffsetTable.empty();
        }
        got.sort(Comparator.comparingLong(GotEntry::address));
        return new GlobalOffsetTable(got.isEmpty() ? 0 : got.getFirst().address(), got, ifuncs);
    }

    /**
     * The module and block offset of a TLS relocation's symbol: this object's module at 0 without one (the addend
     * is the offset) or at a defined {@code STT_TLS} symbol's value; an imported one where another loaded object
     * defines it, else its slot in the import module.
     */
    private ProgramTls.Definition tlsDefinition(ElfRelocationSection rs, ElfRelocation r, ElfSymbol sym,
                                                ProgramTls tls) throws LoadException {
        long own = tls.module() == 0 ? tls.layout().importModule() : tls.module();
        if (sym == null) {
            return new ProgramTls.Definition(own, 0);
        }
        if (sym.isUndefined()) {
            ProgramTls.Definition other = tls.definitions().get(sym.name());
            if (other != null) {
                return other;
            }
            if (!tls.layout().imports().contains(sym.name())) {
                throw error(rs, r, "symbol '" + sym.name() + "' is not thread-local (STT_TLS)");
            }
            return new ProgramTls.Definition(tls.layout().importModule(), tls.layout().importOffset(sym.name()));
        }
        if (sym.type() != ElfConstants.STT_TLS) {
            throw error(rs, r, "symbol '" + sym.name() + "' is not thread-local");
        }
        return new ProgramTls.Definition(own, sym.value());
    }

    private long symbolAddress(ElfRelocationSection rs, ElfRelocation r, ElfSymbol sym, StubPlan stubs, long bias)
            throws LoadException {
        if (sym == null) {
            return 0;
        }
        if (sym.isUndefined()) {
            OptionalLong a = stubs.address(sym.name());
            if (a.isEmpty()) {
                throw error(rs, r, "undefined symbol without a name");
            }
            return a.getAsLong();
        }
        if (sym.hasSpecialSectionIndex() || sym.isCommon()) {
            throw error(rs, r, "symbol has special section index " + hex(sym.sectionIndex()));
        }
        return sym.isAbsolute() ? sym.value() : sym.value() + bias;
    }

    private List<GuestSymbol> definedSymbols(long bias) throws LoadException {
        ElfSymbolTable table = elf.staticSymbols().or(elf::dynamicSymbols).orElse(null);
        List<GuestSymbol> out = new ArrayList<>();
        if (table == null) {
            return out;
        }
        for (ElfSymbol s : table.symbols()) {
            if (s.index() == 0 || s.isUndefined() || s.hasSpecialSectionIndex() || s.isCommon()
                    || !SymbolMapping.isListed(s)) {
                continue;
            }
            if (!s.isAbsolute()) {
                ElfSection home = elf.sections().get(s.sectionIndex());
                SymbolExtent.check(s, home, s.value() - home.address(), true, image);
            }
            String section = s.isAbsolute() ? "" : elf.sections().get(s.sectionIndex()).name();
            out.add(new GuestSymbol(s.name(), s.isAbsolute() ? s.value() : s.value() + bias, s.size(),
                    SymbolMapping.type(s), SymbolMapping.binding(s), section));
        }
        return out;
    }

    private LoadException error(ElfRelocationSection rs, ElfRelocation r, String problem) {
        return image.error(RelocationTypes.name(elf.header().arch(), r.type()) + " in " + rs.section().name()
                + " at " + hex(r.offset()) + ": " + problem);
    }
}
