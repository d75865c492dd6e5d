package io.hvprobe.loader;

import static io.hvprobe.loader.ImageBuilder.PAGE;
import static io.hvprobe.loader.ImageBuilder.hex;

import io.hvprobe.dwarf.DebugSource;
import io.hvprobe.elf.ElfConstants;
import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.ElfRelocation;
import io.hvprobe.elf.ElfRelocationSection;
import io.hvprobe.elf.ElfSection;
import io.hvprobe.elf.ElfSymbol;
import io.hvprobe.elf.ElfSymbolTable;
import io.hvprobe.elf.RelocationTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Lays out an {@code ET_REL} object: allocatable sections grouped into R-X, R-- and RW- segments from the base
 * address, then the stub code, the data cells and the GOT, each in its own page-aligned segment; then applies
 * every relocation that patches an allocatable section.
 */
final class RelocatableLoader {
    /** Largest section alignment accepted; bounds the padding a corrupt {@code sh_addralign} can cause. */
    static final long MAX_ALIGNMENT = 2L << 20;

    private final ElfFile elf;
    private final LoadOptions options;
    private final Relocator relocator;
    private final ImageBuilder image;
    private final List<ElfSymbol> symbols;
    private final int symbolTableIndex;

    private final Map<Integer, Long> sectionAddress = new HashMap<>();
    private final Map<Integer, ImageBuilder.Draft> sectionSegment = new HashMap<>();
    private final Map<Integer, Long> commonAddress = new HashMap<>();
    private final Map<GotKey, Integer> gotSlots = new LinkedHashMap<>();

    private record GotKey(int symbol, long addend) {
    }

    private record Group(String name, Permissions permissions, List<ElfSection> sections) {
    }

    RelocatableLoader(ElfFile elf, LoadOptions options) throws LoadException {
        this.elf = elf;
        this.options = options;
        this.relocator = Relocator.forArch(elf.header().arch());
        this.image = new ImageBuilder(elf.name(), options.maxImageSize());
        if (elf.sections().isEmpty()) {
            throw image.error("relocatable object has no section headers");
        }
        List<ElfSymbolTable> tables = elf.symbolTables().stream().filter(t -> !t.dynamic()).toList();
        if (tables.size() > 1) {
            throw image.error("relocatable object has " + tables.size() + " symbol tables; expected one");
        }
        this.symbols = tables.isEmpty() ? List.of() : tables.getFirst().symbols();
        this.symbolTableIndex = tables.isEmpty() ? -1 : tables.getFirst().sectionIndex();
    }

    GuestImage load() throws LoadException {
        List<Group> groups = groupSections();
        List<ElfSymbol> commons = symbols.stream().filter(ElfSymbol::isCommon).toList();
        List<StubPlan.Need> needs = scanRelocations();
        StubPlan stubs = new StubPlan(needs, options, relocator, image);

        long cursor = options.baseAddress();
        for (Group g : groups) {
            boolean withCommons = g.name().equals("data");
            if (g.sections().isEmpty() && !(withCommons && !commons.isEmpty())) {
                continue;
            }
            cursor = layoutGroup(g, withCommons ? commons : List.of(), cursor);
        }
        long codeBase = cursor;
        ImageBuilder.Draft codeArea = image.synthetic("stubs", ".hvprobe.stubs", codeBase, stubs.codeSize(),
                Permissions.READ_EXECUTE, ElfConstants.SHF_ALLOC | ElfConstants.SHF_EXECINSTR);
        cursor = image.alignUp(codeBase + stubs.codeSize(), PAGE);
        long cellBase = cursor;
        ImageBuilder.Draft cellArea = image.synthetic("cells", ".hvprobe.cells", cellBase, stubs.cellSize(),
                Permissions.READ_WRITE, ElfConstants.SHF_ALLOC | ElfConstants.SHF_WRITE);
        cursor = image.alignUp(cellBase + stubs.cellSize(), PAGE);
        long gotBase = cursor;
        long gotSize = 8L * gotSlots.size();
        ImageBuilder.Draft gotArea = image.synthetic("got", ".hvprobe.got", gotBase, gotSize, Permissions.READ_ONLY,
                ElfConstants.SHF_ALLOC);
        List<Stub> placedStubs = stubs.place(codeArea, codeBase, cellArea, cellBase);

        long[] address = new long[symbols.size()];
        String[] unresolved = new String[symbols.size()];
        resolveSymbols(stubs, address, unresolved);
        applyRelocations(address, unresolved, gotBase);
        GlobalOffsetTable got = fillGot(gotArea, gotBase, address, unresolved);

        List<GuestSymbol> defined = new ArrayList<>();
        for (ElfSymbol s : symbols) {
            if (s.index() != 0 && unresolved[s.index()] == null && !s.isUndefined() && SymbolMapping.isListed(s)) {
                if (sectionAddress.containsKey(s.sectionIndex()) && !s.isAbsolute() && !s.isCommon()) {
                    SymbolExtent.check(s, elf.sections().get(s.sectionIndex()), s.value(), false, image);
                }
                defined.add(new GuestSymbol(s.name(), address[s.index()], s.size(), SymbolMapping.type(s),
                        SymbolMapping.binding(s), sectionName(s)));
            }
        }
        defined.addAll(stubs.absoluteSymbols());
        Map<Integer, Long> placed = Map.copyOf(sectionAddress);
        DebugSource debug = DebugSource.of(elf, i -> placed.containsKey(i) ? OptionalLong.of(placed.get(i))
                : OptionalLong.empty(), 0, options.debugRoots());
        return new GuestImage(elf.header().arch(), elf.name(), ImageKind.RELOCATABLE, OptionalLong.empty(),
                image.segments(), image.sections(), new SymbolTable(defined, placedStubs), placedStubs, got, debug);
    }

    private List<Group> groupSections() throws LoadException {
        Group text = new Group("text", Permissions.READ_EXECUTE, new ArrayList<>());
        Group rodata = new Group("rodata", Permissions.READ_ONLY, new ArrayList<>());
        Group data = new Group("data", Permissions.READ_WRITE, new ArrayList<>());
        for (ElfSection s : elf.sections()) {
            if (!isPlaced(s)) {
                continue;
            }
            if (Long.compareUnsigned(s.size(), options.maxImageSize()) > 0) {
                throw image.error(describe(s) + " size " + hex(s.size()) + " exceeds the image cap of "
                        + hex(options.maxImageSize()) + " bytes");
            }
            alignment(s);
            (s.isExecutable() ? text : s.isWritable() ? data : rodata).sections().add(s);
        }
        return List.of(text, rodata, data);
    }

    /** Whether the loader gives {@code s} memory: allocatable and not the null section type. */
    private static boolean isPlaced(ElfSection s) {
        return s.isAllocated() && s.type() != ElfConstants.SHT_NULL;
    }

    private long alignment(ElfSection s) throws LoadException {
        long a = s.alignment();
        if (a == 0 || a == 1) {
            return 1;
        }
        if (Long.bitCount(a) != 1 || Long.compareUnsigned(a, MAX_ALIGNMENT) > 0) {
            throw image.error(describe(s) + " alignment " + hex(a) + " is not a power of two up to "
                    + hex(MAX_ALIGNMENT));
        }
        return a;
    }

    private long layoutGroup(Group g, List<ElfSymbol> commons, long start) throws LoadException {
        long cursor = start;
        List<long[]> placed = new ArrayList<>();
        for (ElfSection s : g.sections()) {
            cursor = image.alignUp(cursor, alignment(s));
            placed.add(new long[] {s.index(), cursor});
            image.checkCap(cursor - start + s.size(), "section layout up to " + describe(s));
            cursor += s.size();
        }
        long commonStart = image.alignUp(cursor, 16);
        cursor = commonStart;
        for (ElfSymbol c : commons) {
            long align = c.value() == 0 ? 1 : c.value();
            if (Long.bitCount(align) != 1 || Long.compareUnsigned(align, MAX_ALIGNMENT) > 0) {
                throw image.error("common symbol '" + c.name() + "' alignment " + hex(align)
                        + " is not a power of two up to " + hex(MAX_ALIGNMENT));
            }
            cursor = image.alignUp(cursor, align);
            image.checkCap(cursor - start + c.size(), "common symbol '" + c.name() + "'");
            commonAddress.put(c.index(), cursor);
            cursor += c.size();
        }
        long end = image.alignUp(cursor, PAGE);
        ImageBuilder.Draft segment = image.segment(g.name(), start, end - start, g.permissions());
        for (int i = 0; i < placed.size(); i++) {
            ElfSection s = g.sections().get(i);
            long at = placed.get(i)[1];
            sectionAddress.put(s.index(), at);
            sectionSegment.put(s.index(), segment);
            segment.write(at, elf.contents(s));
            segment.sectionNames.add(s.name());
            image.addSection(new LoadedSection(s.name(), at, s.size(), s.flags(), s.isExecutable()));
        }
        if (!commons.isEmpty()) {
            segment.sectionNames.add(".hvprobe.common");
            image.addSection(new LoadedSection(".hvprobe.common", commonStart, cursor - commonStart,
                    ElfConstants.SHF_ALLOC | ElfConstants.SHF_WRITE, false));
        }
        return end;
    }

    /** Relocation sections that patch loaded sections; the rest (debug info) are ignored. */
    private List<ElfRelocationSection> activeRelocationSections() throws LoadException {
        for (ElfSection s : elf.sections()) {
            if (s.type() == ElfConstants.SHT_REL && s.info() > 0 && s.info() < elf.sections().size()
                    && elf.sections().get(s.info()).isAllocated()) {
                throw image.error(describe(s) + ": SHT_REL relocations are not supported (ELF64 objects use RELA)");
            }
        }
        List<ElfRelocationSection> out = new ArrayList<>();
        for (ElfRelocationSection rs : elf.relocationSections()) {
            ElfSection target = elf.sections().get(rs.targetSection());
            if (rs.targetSection() == 0 || !isPlaced(target)) {
                continue;
            }
            if (rs.symbolTable() != symbolTableIndex) {
                throw image.error(describe(rs.section()) + ": linked section " + rs.symbolTable()
                        + " is not the object's symbol table");
            }
            out.add(rs);
        }
        return out;
    }

    /** Finds the undefined symbols the relocations need and which of them need GOT slots. */
    private List<StubPlan.Need> scanRelocations() throws LoadException {
        Map<Integer, Boolean> called = new LinkedHashMap<>();
        // One copy per target section: many relocation sections may patch the same large section.
        Map<Integer, byte[]> contentsBySection = new HashMap<>();
        for (ElfRelocationSection rs : activeRelocationSections()) {
            ElfSection target = elf.sections().get(rs.targetSection());
            if (rs.relocations().isEmpty()) {
                continue;
            }
            byte[] contents = contentsBySection.computeIfAbsent(target.index(), i -> elf.contents(target));
            for (ElfRelocation r : rs.relocations()) {
                Reference ref = relocator.classify(r.type(), contents, r.offset());
                if (ref == Reference.NONE) {
                    continue;
                }
                if (ref == Reference.UNSUPPORTED) {
                    throw relocationError(r, target, "unsupported relocation type");
                }
                if (target.isNoBits()) {
                    throw relocationError(r, target, "relocation in a section without file bytes (SHT_NOBITS)");
                }
                ElfSymbol s = symbols.isEmpty() ? null : symbols.get(r.symbolIndex());
                if (s != null && r.symbolIndex() != 0 && s.isUndefined() && !s.name().isEmpty()) {
                    called.merge(s.index(), ref.isCall(), Boolean::logicalOr);
                }
                if (ref.needsGot()) {
                    long key = relocator.gotSlotIncludesAddend() ? r.addend() : 0;
                    gotSlots.putIfAbsent(new GotKey(r.symbolIndex(), key), gotSlots.size());
                }
            }
        }
        List<StubPlan.Need> needs = new ArrayList<>();
        called.forEach((index, isCalled) -> {
            ElfSymbol s = symbols.get(index);
            needs.add(new StubPlan.Need(s.name(), s.type(), isCalled));
        });
        // Several undefined entries may share a name; one stub serves them all.
        return needs.stream().filter(distinctByName()).toList();
    }

    private static java.util.function.Predicate<StubPlan.Need> distinctByName() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return n -> seen.add(n.name());
    }

    private void resolveSymbols(StubPlan stubs, long[] address, String[] unresolved) {
        for (ElfSymbol s : symbols) {
            int i = s.index();
            if (i == 0) {
                continue;
            }
            if (s.isUndefined()) {
                OptionalLong a = stubs.address(s.name());
                if (a.isPresent()) {
                    address[i] = a.getAsLong();
                } else {
                    unresolved[i] = "undefined symbol has no stub";
                }
            } else if (s.isAbsolute()) {
                address[i] = s.value();
            } else if (s.isCommon()) {
                address[i] = commonAddress.get(i);
            } else if (s.hasSpecialSectionIndex()) {
                unresolved[i] = "symbol has special section index " + hex(s.sectionIndex());
            } else if (sectionAddress.containsKey(s.sectionIndex())) {
                address[i] = sectionAddress.get(s.sectionIndex()) + s.value();
            } else {
                unresolved[i] = "symbol is defined in " + describe(elf.sections().get(s.sectionIndex()))
                        + ", which is not loaded";
            }
        }
    }

    private void applyRelocations(long[] address, String[] unresolved, long gotBase) throws LoadException {
        for (ElfRelocationSection rs : activeRelocationSections()) {
            ElfSection target = elf.sections().get(rs.targetSection());
            long base = sectionAddress.get(target.index());
            ImageBuilder.Draft segment = sectionSegment.get(target.index());
            for (ElfRelocation r : rs.relocations()) {
                Reference ref = relocator.classify(r.type(), new byte[0], 0);
                if (ref == Reference.NONE) {
                    continue;
                }
                int width = relocator.width(r.type());
                if (Long.compareUnsigned(r.offset(), target.size()) > 0 || width > target.size() - r.offset()) {
                    throw relocationError(r, target, "offset + " + width + " bytes past end of section (size "
                            + hex(target.size()) + ")");
                }
                int sym = r.symbolIndex();
                if (sym != 0 && unresolved[sym] != null) {
                    throw relocationError(r, target, unresolved[sym]);
                }
                long s = sym == 0 ? 0 : address[sym];
                long got = 0;
                if (relocator.classify(r.type(), new byte[0], 0).needsGot()) {
                    long key = relocator.gotSlotIncludesAddend() ? r.addend() : 0;
                    got = gotBase + 8L * gotSlots.get(new GotKey(sym, key));
                }
                long place = base + r.offset();
                try {
                    relocator.apply(r.type(), segment.covering(place, width), (int) (place - segment.address), place,
                            s, r.addend(), got);
                } catch (RelocationError e) {
                    throw relocationError(r, target, e.getMessage());
                }
            }
        }
    }

    private GlobalOffsetTable fillGot(ImageBuilder.Draft gotArea, long gotBase, long[] address, String[] unresolved)
            throws LoadException {
        List<GotEntry> entries = new ArrayList<>();
        for (Map.Entry<GotKey, Integer> e : gotSlots.entrySet()) {
            int sym = e.getKey().symbol();
            if (sym != 0 && unresolved[sym] != null) {
                throw image.error("GOT slot for " + symbolName(sym) + ": " + unresolved[sym]);
            }
            long value = (sym == 0 ? 0 : address[sym]) + e.getKey().addend();
            long slot = gotBase + 8L * e.getValue();
            byte[] bytes = new byte[8];
            Relocator.put64(bytes, 0, value);
            gotArea.write(slot, bytes);
            long addend = e.getKey().addend();
            String name = plainName(sym) + (addend == 0 ? "" : (addend > 0 ? "+" : "-") + hex(Math.abs(addend)));
            entries.add(new GotEntry(name, slot, value));
        }
        return entries.isEmpty() ? GlobalOffsetTable.empty() : new GlobalOffsetTable(gotBase, entries);
    }

    private LoadException relocationError(ElfRelocation r, ElfSection target, String problem) {
        return image.error(RelocationTypes.name(elf.header().arch(), r.type()) + " at " + target.name() + "+"
                + hex(r.offset()) + " against " + symbolName(r.symbolIndex()) + ": " + problem);
    }

    private String symbolName(int index) {
        if (index == 0 || symbols.isEmpty()) {
            return "no symbol";
        }
        ElfSymbol s = symbols.get(index);
        if (s.type() == ElfConstants.STT_SECTION && s.sectionIndex() < elf.sections().size()) {
            return "section symbol " + elf.sections().get(s.sectionIndex()).name();
        }
        return s.name().isEmpty() ? "symbol #" + index : "'" + s.name() + "'";
    }

    /** The symbol's name, the section name for section symbols, or "" for the null symbol. */
    private String plainName(int index) {
        if (index == 0 || symbols.isEmpty()) {
            return "";
        }
        ElfSymbol s = symbols.get(index);
        if (s.type() == ElfConstants.STT_SECTION && s.sectionIndex() < elf.sections().size()) {
            return elf.sections().get(s.sectionIndex()).name();
        }
        return s.name();
    }

    private String sectionName(ElfSymbol s) {
        if (s.isAbsolute()) {
            return "";
        }
        if (s.isCommon()) {
            return ".hvprobe.common";
        }
        return elf.sections().get(s.sectionIndex()).name();
    }

    private static String describe(ElfSection s) {
        return "section " + s.index() + (s.name().isEmpty() ? "" : " (" + s.name() + ")");
    }
}
