package io.hvprobe.loader;

import io.hvprobe.elf.ElfConstants;
import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.ElfProgramHeader;
import io.hvprobe.elf.ElfSymbol;
import io.hvprobe.elf.ElfSymbolTable;
import io.hvprobe.dwarf.DebugSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The static TLS of several objects loaded together ({@link ProgramLinker}), planned before any of them is
 * relocated, as glibc's loader does at start-up: each object with a {@code PT_TLS} template is a module (the main
 * object 1, the libraries after it in load order), each exported thread-local variable resolves to its defining
 * module, and variables no object defines (the C library's {@code errno}) get slots. The area itself is placed
 * after every object is loaded ({@link #area}); offsets from the thread pointer do not depend on where.
 */
final class StaticTls {
    private static final String ERRNO = "errno";
    private static final String ERRNO_LOCATION = "__errno_location";

    private final Map<ElfFile, Long> modules;
    private final Map<String, ProgramTls.Definition> definitions;
    private final List<TlsLayout.Template> templates;
    private final List<String> imports;
    private final TlsLayout.Variant variant;
    private final TlsLayout planned;

    private StaticTls(Map<ElfFile, Long> modules, Map<String, ProgramTls.Definition> definitions,
                      List<TlsLayout.Template> templates, List<String> imports, TlsLayout.Variant variant,
                      TlsLayout planned) {
        this.modules = modules;
        this.definitions = definitions;
        this.templates = templates;
        this.imports = imports;
        this.variant = variant;
        this.planned = planned;
    }

    /** Plans the TLS of {@code main} and the other objects of {@code loadOrder}. */
    static StaticTls plan(ElfFile main, List<ElfFile> loadOrder) throws LoadException {
        List<ElfFile> moduleOrder = new ArrayList<>();
        moduleOrder.add(main);
        loadOrder.stream().filter(f -> f != main).forEach(moduleOrder::add);
        Map<ElfFile, Long> modules = new HashMap<>();
        Map<String, ProgramTls.Definition> definitions = new LinkedHashMap<>();
        List<TlsLayout.Template> templates = new ArrayList<>();
        for (ElfFile f : moduleOrder) {
            ElfProgramHeader t = f.programHeaders().stream().filter(p -> p.type() == ElfConstants.PT_TLS)
                    .findFirst().orElse(null);
            if (t == null) {
                continue;
            }
            long id = templates.size() + 1L;
            templates.add(new TlsLayout.Template(t.memorySize(), Math.max(1, t.alignment()), f.contents(t)));
            modules.put(f, id);
            for (ElfSymbol s : dynamicSymbols(f)) {
                if (!s.isUndefined() && s.type() == ElfConstants.STT_TLS && !s.name().isEmpty()
                        && (s.binding() == ElfConstants.STB_GLOBAL || s.binding() == ElfConstants.STB_WEAK)) {
                    definitions.putIfAbsent(s.name(), new ProgramTls.Definition(id, s.value()));
                }
            }
        }
        List<String> imports = new ArrayList<>();
        for (ElfFile f : moduleOrder) {
            for (ElfSymbol s : dynamicSymbols(f)) {
                String name = s.isUndefined() && s.name().equals(ERRNO_LOCATION) ? ERRNO : s.name();
                boolean tlsImport = s.isUndefined() && (s.type() == ElfConstants.STT_TLS || name.equals(ERRNO));
                if (tlsImport && !name.isEmpty() && !definitions.containsKey(name) && !imports.contains(name)) {
                    imports.add(name);
                }
            }
        }
        TlsLayout.Variant variant = Relocator.forArch(main.header().arch()).tlsVariant();
        ImageBuilder scratch = new ImageBuilder(main.name(), ImageBuilder.PAGE);
        TlsLayout planned = TlsLayout.of(variant, 0, templates, imports, scratch);
        return new StaticTls(modules, definitions, templates, imports, variant, planned);
    }

    private static List<ElfSymbol> dynamicSymbols(ElfFile f) {
        return f.dynamicSymbols().map(ElfSymbolTable::symbols).orElse(List.of()).stream()
                .filter(s -> s.index() != 0).toList();
    }

    /** What object {@code f} sees while it is relocated. */
    ProgramTls view(ElfFile f) {
        return new ProgramTls(planned, modules.getOrDefault(f, 0L), definitions);
    }

    /**
     * The TLS area at the first page past every loaded image, not across {@code limit}: a segment {@code .hvprobe.tls},
     * the thread pointer and, when a slot holds it, the C library's {@code errno}.
     */
    GuestImage area(List<GuestImage> images, String name, long limit, long maxImageSize) throws LoadException {
        long end = images.stream().flatMap(i -> i.segments().stream()).mapToLong(Segment::end).max().orElse(0);
        ImageBuilder builder = new ImageBuilder(name, maxImageSize);
        TlsLayout layout = TlsLayout.of(variant, builder.alignUp(end, ImageBuilder.PAGE), templates, imports, builder);
        if (layout.base() < limit && layout.base() + layout.size() > limit) {
            throw new LoadException(name, "the TLS area of the loaded objects does not fit below 0x"
                    + Long.toHexString(limit));
        }
        ImageBuilder.Draft draft = builder.synthetic("tls", ".hvprobe.tls", layout.base(), layout.size(),
                Permissions.READ_WRITE, ElfConstants.SHF_ALLOC | ElfConstants.SHF_WRITE);
        layout.write(draft);
        List<GuestSymbol> symbols = new ArrayList<>();
        if (imports.contains(ERRNO)) {
            symbols.add(new GuestSymbol(ERRNO, layout.importBlock() + layout.importOffset(ERRNO), 4,
                    SymbolType.OBJECT, SymbolBinding.GLOBAL, ".hvprobe.tls"));
        }
        GuestImage first = images.getFirst();
        return new GuestImage(first.arch(), name, ImageKind.RAW, OptionalLong.empty(), builder.segments(),
                builder.sections(), new SymbolTable(symbols, List.of()), List.of(), GlobalOffsetTable.empty(),
                DebugSource.none(), OptionalLong.of(layout.threadPointer()));
    }
}
