package io.hvprobe.loader;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The defined symbols of an image (locals included) plus the stubs, with lookup by name and by address.
 * Immutable.
 */
public final class SymbolTable {
    private final List<GuestSymbol> symbols;
    private final Map<String, GuestSymbol> byName;
    /** Sorted by address; symbolize() searches here. */
    private final List<GuestSymbol> byAddress;
    private final List<GuestSymbol> functions;

    /**
     * Builds a table over the defined {@code symbols}; for a repeated name a global beats a weak beats a local.
     * {@code stubs} take part in {@link #symbolize} only, so a call into a stub reads as its name.
     *
     * @param symbols the defined symbols, in load order
     * @param stubs   the stubs placed for undefined symbols
     */
    public SymbolTable(List<GuestSymbol> symbols, List<Stub> stubs) {
        this.symbols = List.copyOf(symbols);
        Map<String, GuestSymbol> names = new HashMap<>();
        for (GuestSymbol s : this.symbols) {
            names.merge(s.name(), s, (a, b) -> rank(b) < rank(a) ? b : a);
        }
        this.byName = Map.copyOf(names);
        List<GuestSymbol> sorted = new ArrayList<>(this.symbols);
        for (Stub st : stubs) {
            sorted.add(new GuestSymbol(st.name(), st.address(), st.size(),
                    st.kind() == StubKind.DATA ? SymbolType.OBJECT : SymbolType.FUNCTION, SymbolBinding.GLOBAL,
                    st.kind() == StubKind.DATA ? ".hvprobe.cells" : ".hvprobe.stubs"));
        }
        sorted.sort(Comparator.comparingLong(GuestSymbol::address).thenComparing(s -> -s.size()));
        this.byAddress = List.copyOf(sorted);
        // Once: callers ask per trap site and per finding, and a hostile object may define many thousands.
        this.functions = this.symbols.stream().filter(s -> s.type() == SymbolType.FUNCTION && s.size() > 0)
                .sorted(Comparator.comparingLong(GuestSymbol::address)).toList();
    }

    private static int rank(GuestSymbol s) {
        return switch (s.binding()) {
            case GLOBAL -> 0;
            case WEAK -> 1;
            case LOCAL -> 2;
        };
    }

    /** {@return all symbols in load order} */
    public List<GuestSymbol> all() {
        return symbols;
    }

    /**
     * The symbol called {@code name}; a global definition wins over a weak or a local one.
     *
     * @param name a symbol name
     * @return the symbol, or empty when none of that name is defined
     */
    public Optional<GuestSymbol> lookup(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** {@return defined functions ({@link SymbolType#FUNCTION}) with a non-zero size, in address order} */
    public List<GuestSymbol> functions() {
        return functions;
    }

    /**
     * Names an address: {@code "func"} at a symbol's start, {@code "func+0x1c"} inside a sized symbol, otherwise
     * the address as {@code "0x..."}. Sized symbols win over zero-sized labels at the same address.
     *
     * @param address a guest address
     * @return the name
     */
    public String symbolize(long address) {
        GuestSymbol best = covering(address);
        if (best == null) {
            return "0x" + Long.toHexString(address);
        }
        long offset = address - best.address();
        return offset == 0 ? best.name() : best.name() + "+0x" + Long.toHexString(offset);
    }

    /**
     * Names a return address by the symbol holding the byte before it, i.e. the call: {@code "probe+0x40"} even when
     * the call was the last instruction of {@code probe} (a call that never returns, such as
     * {@code __stack_chk_fail}), where {@link #symbolize} would name whatever follows, or give a bare address.
     *
     * @param returnAddress a return address
     * @return the name
     */
    public String symbolizeReturn(long returnAddress) {
        GuestSymbol caller = covering(returnAddress - 1);
        if (caller == null || caller.size() == 0) {
            return symbolize(returnAddress);
        }
        return caller.name() + "+0x" + Long.toHexString(returnAddress - caller.address());
    }

    /** The symbol naming {@code address}: the nearest sized symbol covering it, else a label at it, or null. */
    private GuestSymbol covering(long address) {
        GuestSymbol best = null;
        int hi = upperBound(address);
        for (int i = hi - 1; i >= 0; i--) {
            GuestSymbol s = byAddress.get(i);
            if (s.covers(address) && (best == null || s.size() > 0 && best.size() == 0)) {
                best = s;
            }
            if (best != null && best.size() > 0) {
                break;
            }
            if (address - s.address() > MAX_SCAN_DISTANCE) {
                break; // no symbol further back can cover an address this far away in practice
            }
        }
        return best;
    }

    /** How far back symbolize() looks for a covering symbol; larger than any plausible function. */
    private static final long MAX_SCAN_DISTANCE = 16L << 20;

    /** Index of the first symbol whose address is greater than {@code address}. */
    private int upperBound(long address) {
        int lo = 0;
        int hi = byAddress.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (byAddress.get(mid).address() <= address) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
