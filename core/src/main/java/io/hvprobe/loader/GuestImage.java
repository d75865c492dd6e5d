package io.hvprobe.loader;

import io.hvprobe.arch.Arch;
import io.hvprobe.dwarf.DebugSource;
import io.hvprobe.dwarf.SourceLine;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Loaded guest code as pure data: map every {@link Segment} at its address with its permissions, copy its
 * bytes, hook the {@link StubKind#FUNCTION} stub addresses, then call {@link #functions()} by address.
 * Immutable; no emulator involved.
 *
 * @param arch       instruction set
 * @param name       the object's name (file name)
 * @param kind       what was loaded
 * @param entryPoint the ELF entry point for executables, empty otherwise
 * @param segments   memory to map, in address order, non-overlapping, page aligned
 * @param sections   sections at their final addresses
 * @param symbols    defined symbols (and stubs) with lookup and symbolisation
 * @param stubs      what each undefined symbol resolved to
 * @param got        the global offset table
 * @param debug      the object's debug information (source lines), read on first use
 * @param threadPointer the main thread's thread pointer (x86_64 FS base, arm64 TPIDR_EL0) when the image has
 *                   thread-local storage, laid out in its {@code .hvprobe.tls} segment
 */
public record GuestImage(Arch arch, String name, ImageKind kind, OptionalLong entryPoint, List<Segment> segments,
                         List<LoadedSection> sections, SymbolTable symbols, List<Stub> stubs,
                         GlobalOffsetTable got, DebugSource debug, OptionalLong threadPointer) {
    /**
     * Copies the lists.
     *
     * @param arch          instruction set
     * @param name          the object's name
     * @param kind          what was loaded
     * @param entryPoint    the ELF entry point, empty when there is none
     * @param segments      memory to map, in address order (copied)
     * @param sections      sections at their final addresses (copied)
     * @param symbols       defined symbols and stubs
     * @param stubs         what each undefined symbol resolved to (copied)
     * @param got           the global offset table
     * @param debug         the object's debug information
     * @param threadPointer the main thread's thread pointer, empty without thread-local storage
     */
    public GuestImage {
        segments = List.copyOf(segments);
        sections = List.copyOf(sections);
        stubs = List.copyOf(stubs);
    }

    /**
     * An image without thread-local storage.
     *
     * @param arch       instruction set
     * @param name       the object's name
     * @param kind       what was loaded
     * @param entryPoint the ELF entry point, empty when there is none
     * @param segments   memory to map, in address order (copied)
     * @param sections   sections at their final addresses (copied)
     * @param symbols    defined symbols and stubs
     * @param stubs      what each undefined symbol resolved to (copied)
     * @param got        the global offset table
     * @param debug      the object's debug information
     */
    public GuestImage(Arch arch, String name, ImageKind kind, OptionalLong entryPoint, List<Segment> segments,
                      List<LoadedSection> sections, SymbolTable symbols, List<Stub> stubs, GlobalOffsetTable got,
                      DebugSource debug) {
        this(arch, name, kind, entryPoint, segments, sections, symbols, stubs, got, debug, OptionalLong.empty());
    }

    /**
     * An image without debug information.
     *
     * @param arch       instruction set
     * @param name       the object's name
     * @param kind       what was loaded
     * @param entryPoint the ELF entry point, empty when there is none
     * @param segments   memory to map, in address order (copied)
     * @param sections   sections at their final addresses (copied)
     * @param symbols    defined symbols and stubs
     * @param stubs      what each undefined symbol resolved to (copied)
     * @param got        the global offset table
     */
    public GuestImage(Arch arch, String name, ImageKind kind, OptionalLong entryPoint, List<Segment> segments,
                      List<LoadedSection> sections, SymbolTable symbols, List<Stub> stubs, GlobalOffsetTable got) {
        this(arch, name, kind, entryPoint, segments, sections, symbols, stubs, got, DebugSource.none());
    }

    /**
     * The source line (with inline chain) of the instruction at {@code address}, from the debug information.
     *
     * @param address a guest address
     * @return the source line, or empty when the debug information does not cover {@code address}
     */
    public Optional<SourceLine> source(long address) {
        return debug.lookup(address);
    }

    /** {@return defined functions with a size, in address order} */
    public List<GuestSymbol> functions() {
        return symbols.functions();
    }

    /**
     * The defined symbol {@code name}.
     *
     * @param name a symbol name
     * @return the symbol (a global definition wins over a weak or local one), or empty when not defined
     */
    public Optional<GuestSymbol> symbol(String name) {
        return symbols.lookup(name);
    }

    /**
     * The guest address of {@code name}: a defined symbol, else a stub.
     *
     * @param name a symbol name
     * @return the address, or empty when {@code name} is neither defined nor stubbed
     */
    public OptionalLong address(String name) {
        Optional<GuestSymbol> s = symbols.lookup(name);
        if (s.isPresent()) {
            return OptionalLong.of(s.get().address());
        }
        return stub(name).map(st -> OptionalLong.of(st.address())).orElse(OptionalLong.empty());
    }

    /**
     * The stub placed for undefined symbol {@code name}.
     *
     * @param name an undefined symbol's name
     * @return the stub, or empty when {@code name} got none (defined, or never referenced)
     */
    public Optional<Stub> stub(String name) {
        return stubs.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * The stub at {@code address}, e.g. to answer a hook on a stub address.
     *
     * @param address a guest address
     * @return the stub placed at exactly {@code address}, or empty
     */
    public Optional<Stub> stubAt(long address) {
        return stubs.stream().filter(s -> s.address() == address).findFirst();
    }

    /**
     * The first loaded section called {@code name}.
     *
     * @param name a section name, e.g. {@code .text}
     * @return the section, or empty when none of that name was loaded
     */
    public Optional<LoadedSection> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * The segment holding {@code address}.
     *
     * @param address a guest address
     * @return the segment, or empty when {@code address} is not mapped
     */
    public Optional<Segment> segmentAt(long address) {
        return segments.stream().filter(s -> s.contains(address, 1)).findFirst();
    }

    /**
     * {@code "func+0x1c"}, a stub name, or {@code "0x..."}.
     *
     * @param address a guest address
     * @return the name
     */
    public String symbolize(long address) {
        return symbols.symbolize(address);
    }

    /**
     * A return address as {@code "caller+0x40"}, named after the function holding the call before it.
     *
     * @param returnAddress a return address, as found on the stack or in the link register
     * @return the name
     */
    public String symbolizeReturn(long returnAddress) {
        return symbols.symbolizeReturn(returnAddress);
    }

    /**
     * Copies {@code length} initial bytes at {@code address}.
     *
     * @param address the guest address of the first byte
     * @param length  how many bytes, 0 or more
     * @return a new array with the bytes as loaded (not as a run changed them)
     * @throws IllegalArgumentException if the range is not inside one segment
     */
    public byte[] read(long address, int length) {
        for (Segment s : segments) {
            if (s.contains(address, length)) {
                byte[] out = new byte[length];
                s.read(address - s.address(), out);
                return out;
            }
        }
        throw new IllegalArgumentException("0x" + Long.toHexString(address) + "+" + length
                + " is not inside one segment of " + name);
    }

    /** {@return the total mapped bytes, the sum of the segments' sizes} */
    public long mappedSize() {
        return segments.stream().mapToLong(Segment::size).sum();
    }
}
