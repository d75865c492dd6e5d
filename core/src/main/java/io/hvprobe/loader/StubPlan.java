package io.hvprobe.loader;

import io.hvprobe.elf.ElfConstants;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Decides what each undefined symbol becomes (absolute address, function stub, thunk or data cell) and lays
 * out the code slots and data cells relative to their areas; {@link #place} fixes the final addresses.
 */
final class StubPlan {
    /** Every code stub gets one slot; 16 bytes hold the longest thunk and keep stubs aligned. */
    static final int CODE_SLOT = 16;
    /** Data cells start on cache-line boundaries. */
    static final int CELL_ALIGN = 64;

    /** An undefined symbol the image needs. */
    record Need(String name, int elfType, boolean called) {
    }

    private record Entry(String name, StubKind kind, long offset, long size, long returnValue, byte[] bytes) {
    }

    private final List<Entry> code = new ArrayList<>();
    private final List<Entry> cells = new ArrayList<>();
    private final Map<String, Long> absolutes = new java.util.LinkedHashMap<>();
    private final Map<String, Long> addresses = new HashMap<>();
    private long cellSize;
    private long codeSize;

    StubPlan(List<Need> needs, LoadOptions options, Relocator relocator, ImageBuilder image) throws LoadException {
        for (Need n : needs) {
            SymbolOverride o = options.overrides().get(n.name());
            byte[] thunk = relocator.thunk(n.name());
            switch (o) {
                case SymbolOverride.Absolute a -> absolutes.put(n.name(), a.address());
                case SymbolOverride.FunctionStub f -> addCode(n.name(), StubKind.FUNCTION, f.returnValue(),
                        relocator.returnStub(CODE_SLOT));
                case SymbolOverride.DataCell c -> addCell(n.name(), c.size(), c.initialBytes(), image);
                case null -> {
                    if (thunk != null) {
                        byte[] slot = relocator.returnStub((thunk.length + CODE_SLOT - 1) / CODE_SLOT * CODE_SLOT);
                        System.arraycopy(thunk, 0, slot, 0, thunk.length);
                        addCode(n.name(), StubKind.THUNK, 0, slot);
                    } else if (n.called() || n.elfType() == ElfConstants.STT_FUNC
                            || n.elfType() == ElfConstants.STT_GNU_IFUNC) {
                        addCode(n.name(), StubKind.FUNCTION, options.stubReturnValue(),
                                relocator.returnStub(CODE_SLOT));
                    } else {
                        addCell(n.name(), options.dataCellSize(), new byte[0], image);
                    }
                }
            }
        }
    }

    /** Adds code of {@code bytes.length} bytes, a multiple of {@link #CODE_SLOT} (one slot but for long thunks). */
    private void addCode(String name, StubKind kind, long returnValue, byte[] bytes) {
        code.add(new Entry(name, kind, codeSize, bytes.length, returnValue, bytes));
        codeSize += bytes.length;
    }

    private void addCell(String name, long size, byte[] initial, ImageBuilder image) throws LoadException {
        long offset = image.alignUp(cellSize, CELL_ALIGN);
        image.checkCap(offset + size, "data cell for '" + name + "'");
        cells.add(new Entry(name, StubKind.DATA, offset, size, 0, initial));
        cellSize = offset + size;
    }

    long codeSize() {
        return codeSize;
    }

    long cellSize() {
        return cellSize;
    }

    /** Writes stub code at {@code codeBase} and cells at {@code cellBase}; returns the stubs. */
    List<Stub> place(ImageBuilder.Draft codeArea, long codeBase, ImageBuilder.Draft cellArea, long cellBase) {
        List<Stub> stubs = new ArrayList<>();
        for (Entry e : code) {
            codeArea.write(codeBase + e.offset(), e.bytes());
            stubs.add(new Stub(e.name(), codeBase + e.offset(), e.size(), e.kind(), e.returnValue()));
            addresses.put(e.name(), codeBase + e.offset());
        }
        for (Entry e : cells) {
            cellArea.write(cellBase + e.offset(), e.bytes());
            stubs.add(new Stub(e.name(), cellBase + e.offset(), e.size(), StubKind.DATA, 0));
            addresses.put(e.name(), cellBase + e.offset());
        }
        return stubs;
    }

    /** Undefined symbols the caller resolved to fixed addresses, as absolute symbols (section ""). */
    List<GuestSymbol> absoluteSymbols() {
        return absolutes.entrySet().stream()
                .map(e -> new GuestSymbol(e.getKey(), e.getValue(), 0, SymbolType.NOTYPE, SymbolBinding.GLOBAL, ""))
                .toList();
    }

    /** The resolved address of undefined symbol {@code name}, after {@link #place}. */
    OptionalLong address(String name) {
        Long a = absolutes.get(name);
        if (a == null) {
            a = addresses.get(name);
        }
        return a == null ? OptionalLong.empty() : OptionalLong.of(a);
    }
}
