package io.hvprobe.loader;

import io.hvprobe.elf.ElfConstants;
import io.hvprobe.elf.ElfDynamic;
import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.ElfFormatException;
import io.hvprobe.elf.ElfSymbol;
import io.hvprobe.elf.ElfSymbolTable;
import io.hvprobe.elf.ElfType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Loads a program or shared object together with the shared objects it needs, as a dynamic loader would: each
 * library at its own base ({@link #LIBRARY_BASE}, {@link #LIBRARY_SPAN} apart), dependencies first (by
 * {@code DT_NEEDED} against the libraries' {@code DT_SONAME} or file name), each object's imports bound to what the
 * objects loaded before it export (so only what none of them defines falls back to the C-library table or a stub),
 * the constructors ({@code DT_INIT}, then {@code DT_INIT_ARRAY}) listed in the order ld.so runs them, and the
 * destructors ({@code DT_FINI_ARRAY} last slot first, then {@code DT_FINI}; the main object first) in the order
 * {@code exit} runs them. The result is one {@link GuestImage} holding every object's segments, symbols and stubs.
 */
final class ProgramLinker {
    /** Where the first library goes; the main object stays at the options' base (below it). */
    static final long LIBRARY_BASE = 0x2000_0000L;
    /** Address space per library (its segments, stubs and cells; the shared TLS area goes after the last). */
    static final long LIBRARY_SPAN = 0x0400_0000L;
    /** Libraries that fit between {@link #LIBRARY_BASE} and the machine's per-CPU area at 0x50000000. */
    static final int MAX_LIBRARIES = 12;
    private static final long LIBRARY_END = 0x5000_0000L;

    private record Part(ElfFile elf, ElfDynamic dynamic, String label) {
    }

    private ProgramLinker() {
    }

    static LinkedProgram link(ElfFile main, List<ElfFile> libraries, LoadOptions options) throws LoadException {
        if (libraries.size() > MAX_LIBRARIES) {
            throw new LoadException(main.name(), libraries.size() + " libraries given; at most " + MAX_LIBRARIES
                    + " fit the address space below the machine's areas");
        }
        Part root = part(main);
        List<Part> libs = new ArrayList<>();
        for (ElfFile l : libraries) {
            if (l.header().type() != ElfType.SHARED_OBJECT) {
                throw new LoadException(l.name(), "--lib needs a shared object (ET_DYN), not " + l.header().type());
            }
            if (l.header().arch() != main.header().arch()) {
                throw new LoadException(l.name(), "is " + l.header().arch() + " but " + main.name() + " is "
                        + main.header().arch());
            }
            libs.add(part(l));
        }
        List<Part> order = dependencyOrder(root, libs);
        StaticTls tls = libs.isEmpty() ? null : StaticTls.plan(main, order.stream().map(Part::elf).toList());
        Map<String, Long> exports = new LinkedHashMap<>();
        List<GuestImage> images = new ArrayList<>();
        List<Long> constructors = new ArrayList<>();
        List<Long> destructors = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int slot = 0;
        for (Part p : order) {
            boolean isRoot = p == root;
            LoadOptions o = options;
            if (!isRoot) {
                o = o.withBaseAddress(LIBRARY_BASE + LIBRARY_SPAN * slot++);
            }
            for (ElfSymbol s : undefined(p.elf())) {
                Long at = exports.get(s.name());
                if (options.overrides().containsKey(s.name())) {
                    continue;
                }
                if (at != null) {
                    o = o.withOverride(s.name(), new SymbolOverride.Absolute(at));
                } else if (s.binding() == ElfConstants.STB_WEAK && s.type() == ElfConstants.STT_NOTYPE) {
                    // A weak reference nothing defines is 0, as ld.so leaves it: _init tests __gmon_start__ and
                    // frame_dummy _ITM_registerTMCloneTable before calling them (no C library defines those).
                    o = o.withOverride(s.name(), new SymbolOverride.Absolute(0));
                }
            }
            GuestImage image = tls == null ? ImageLoader.load(p.elf(), o)
                    : new ExecutableLoader(p.elf(), o, tls.view(p.elf())).load();
            if (!isRoot) {
                long end = image.segments().stream().mapToLong(Segment::end).max().orElse(0);
                long limit = Math.min(o.baseAddress() + LIBRARY_SPAN, LIBRARY_END);
                if (end > limit) {
                    throw new LoadException(p.label(), "needs " + Long.toHexString(end - o.baseAddress())
                            + " bytes of address space; a library gets 0x" + Long.toHexString(LIBRARY_SPAN));
                }
            }
            for (ElfSymbol s : exported(p.elf())) {
                image.symbol(s.name()).ifPresent(g -> exports.putIfAbsent(s.name(), g.address()));
            }
            constructors.addAll(constructors(p, image, notes));
            destructors.addAll(0, destructors(p, image, notes)); // objects in reverse load order, as _dl_fini
            images.add(image);
        }
        for (String needed : root.dynamic().needed()) {
            if (find(needed, libs).isEmpty() && !CLibraryNames.isCLibrary(needed)) {
                notes.add(main.name() + " needs " + needed + ", which no --lib gives: its functions are stubs");
            }
        }
        GuestImage mainImage = images.getLast();
        OptionalLong threadPointer = OptionalLong.empty();
        if (tls != null) {
            GuestImage area = tls.area(images, root.label(), LIBRARY_END, options.maxImageSize());
            images.add(area);
            threadPointer = area.threadPointer();
        }
        return new LinkedProgram(merge(mainImage, images, threadPointer), constructors, destructors, notes);
    }

    private static Part part(ElfFile elf) throws LoadException {
        try {
            return new Part(elf, ElfDynamic.of(elf), elf.name());
        } catch (ElfFormatException e) {
            throw new LoadException(e.getMessage(), e);
        }
    }

    /** Libraries before what needs them (depth first from the main object), then the main object. */
    private static List<Part> dependencyOrder(Part root, List<Part> libs) {
        List<Part> out = new ArrayList<>();
        visit(root, libs, out, new ArrayList<>());
        for (Part l : libs) {
            if (!out.contains(l)) {
                out.add(out.size() - 1, l); // given but not needed by name: loaded too, before the main object
            }
        }
        return out;
    }

    private static void visit(Part p, List<Part> libs, List<Part> out, List<Part> path) {
        if (out.contains(p) || path.contains(p)) {
            return; // done, or a cycle: the first visit places it
        }
        path.add(p);
        for (String needed : p.dynamic().needed()) {
            find(needed, libs).ifPresent(l -> visit(l, libs, out, path));
        }
        path.removeLast();
        out.add(p);
    }

    private static Optional<Part> find(String needed, List<Part> libs) {
        return libs.stream().filter(l -> l.dynamic().soname().map(needed::equals).orElse(false)
                || l.label().equals(needed)).findFirst();
    }

    private static List<ElfSymbol> undefined(ElfFile elf) {
        return elf.dynamicSymbols().map(ElfSymbolTable::symbols).orElse(List.of()).stream()
                .filter(s -> s.index() != 0 && s.isUndefined() && !s.name().isEmpty()
                        && s.type() != ElfConstants.STT_TLS)
                .toList();
    }

    private static List<ElfSymbol> exported(ElfFile elf) {
        return elf.dynamicSymbols().map(ElfSymbolTable::symbols).orElse(List.of()).stream()
                .filter(s -> s.index() != 0 && !s.isUndefined() && !s.name().isEmpty()
                        && (s.binding() == ElfConstants.STB_GLOBAL || s.binding() == ElfConstants.STB_WEAK)
                        && s.type() != ElfConstants.STT_TLS && s.type() != ElfConstants.STT_GNU_IFUNC)
                .toList();
    }

    /** DT_INIT, then the non-empty DT_INIT_ARRAY slots, at their loaded addresses. */
    private static List<Long> constructors(Part p, GuestImage image, List<String> notes) {
        long bias = bias(p.elf(), image);
        List<Long> out = new ArrayList<>();
        p.dynamic().init().ifPresent(a -> out.add(a + bias));
        out.addAll(functionArray(p, image, "DT_INIT_ARRAY", p.dynamic().initArray(), p.dynamic().initArraySize(),
                bias, notes));
        return out;
    }

    /** The non-empty DT_FINI_ARRAY slots, last first, then DT_FINI: the order ld.so runs them at exit. */
    private static List<Long> destructors(Part p, GuestImage image, List<String> notes) {
        long bias = bias(p.elf(), image);
        List<Long> out = new ArrayList<>(functionArray(p, image, "DT_FINI_ARRAY", p.dynamic().finiArray(),
                p.dynamic().finiArraySize(), bias, notes).reversed());
        p.dynamic().fini().ifPresent(a -> out.add(a + bias));
        return out;
    }

    /** The non-empty slots (neither 0 nor -1) of a function pointer array, in array order. */
    private static List<Long> functionArray(Part p, GuestImage image, String tag, OptionalLong at, long bytes,
                                            long bias, List<String> notes) {
        List<Long> out = new ArrayList<>();
        if (at.isEmpty() || bytes <= 0) {
            return out;
        }
        long array = at.getAsLong() + bias;
        long size = Math.min(bytes, 8L * 1024);
        try {
            ByteBuffer b = ByteBuffer.wrap(image.read(array, (int) size)).order(ByteOrder.LITTLE_ENDIAN);
            while (b.remaining() >= 8) {
                long f = b.getLong();
                if (f != 0 && f != -1) {
                    out.add(f);
                }
            }
        } catch (IllegalArgumentException outside) {
            notes.add(p.label() + ": " + tag + " at 0x" + Long.toHexString(array)
                    + " is not inside a loaded segment; its " + (tag.startsWith("DT_INIT") ? "con" : "de")
                    + "structors do not run");
        }
        return out;
    }

    private static long bias(ElfFile elf, GuestImage image) {
        if (elf.header().type() != ElfType.SHARED_OBJECT) {
            return 0;
        }
        long lowest = elf.programHeaders().stream().filter(h -> h.isLoad() && h.memorySize() != 0)
                .mapToLong(h -> ImageBuilder.alignDown(h.virtualAddress(), ImageBuilder.PAGE)).min().orElse(0);
        long base = image.segments().stream().mapToLong(Segment::address).min().orElse(0);
        return base - lowest;
    }

    /** One image: the main object's name, kind, entry point and debug information; everyone's memory. */
    private static GuestImage merge(GuestImage main, List<GuestImage> images, OptionalLong programThreadPointer) {
        if (images.size() == 1) {
            return main;
        }
        List<Segment> segments = new ArrayList<>();
        List<LoadedSection> sections = new ArrayList<>();
        List<GuestSymbol> symbols = new ArrayList<>(main.symbols().all());
        List<Stub> stubs = new ArrayList<>(main.stubs());
        List<GotEntry> got = new ArrayList<>();
        List<IfuncSlot> ifuncs = new ArrayList<>();
        OptionalLong threadPointer = main.threadPointer();
        for (GuestImage i : images) {
            segments.addAll(i.segments());
            sections.addAll(i.sections());
            got.addAll(i.got().entries());
            ifuncs.addAll(i.got().ifuncs());
            if (i != main) {
                symbols.addAll(i.symbols().all());
                stubs.addAll(i.stubs());
                // One thread pointer: a library's own thread-local variables (PT_TLS) need theirs; a main object's
                // area only holds errno for __errno_location, whose slot is an absolute address.
                if (i.threadPointer().isPresent() && (threadPointer.isEmpty() || i.section(".tdata").isPresent()
                        || i.section(".tbss").isPresent())) {
                    threadPointer = i.threadPointer();
                }
            }
        }
        if (programThreadPointer.isPresent()) {
            threadPointer = programThreadPointer; // the objects share one static TLS area (StaticTls)
        }
        segments.sort(Comparator.comparingLong(Segment::address));
        return new GuestImage(main.arch(), main.name(), main.kind(), main.entryPoint(), segments, sections,
                new SymbolTable(symbols, stubs), stubs, new GlobalOffsetTable(main.got().address(), got, ifuncs),
                main.debug(), threadPointer);
    }

    /** Shared-object names the C-library table stands for. */
    private static final class CLibraryNames {
        private static final List<String> PREFIXES = List.of("libc.so", "ld-linux", "libm.so", "libpthread.so",
                "libdl.so", "librt.so");

        static boolean isCLibrary(String soname) {
            return PREFIXES.stream().anyMatch(soname::startsWith);
        }
    }

}
