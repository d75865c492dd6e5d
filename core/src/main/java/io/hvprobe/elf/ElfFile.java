package io.hvprobe.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed, validated ELF64 little-endian file for x86_64 or AArch64. Everything reachable from here has been
 * bounds-checked at parse time, so accessors never fail.
 *
 * <pre>{@code
 * ElfFile elf = ElfFile.parse("vmw.o", Files.readAllBytes(path));
 * for (ElfSection s : elf.sections()) ...
 * }</pre>
 */
public final class ElfFile {
    private final String name;
    private final byte[] bytes;
    private final ElfHeader header;
    private final List<ElfSection> sections;
    private final List<ElfProgramHeader> programHeaders;
    private final List<ElfSymbolTable> symbolTables;
    private final List<ElfRelocationSection> relocationSections;
    private final Map<Integer, ElfSymbolTable> symbolTablesBySection = new HashMap<>();

    ElfFile(String name, byte[] bytes, ElfHeader header, List<ElfSection> sections,
            List<ElfProgramHeader> programHeaders, List<ElfSymbolTable> symbolTables,
            List<ElfRelocationSection> relocationSections) {
        this.name = name;
        this.bytes = bytes;
        this.header = header;
        this.sections = List.copyOf(sections);
        this.programHeaders = List.copyOf(programHeaders);
        this.symbolTables = List.copyOf(symbolTables);
        this.relocationSections = List.copyOf(relocationSections);
        for (ElfSymbolTable t : symbolTables) {
            symbolTablesBySection.put(t.sectionIndex(), t);
        }
    }

    /**
     * Parses and validates {@code bytes}. The array is copied, so the caller may reuse it.
     *
     * @param name  the file name used in error messages
     * @param bytes the whole file
     * @throws ElfFormatException when the file is not a well-formed ELF64 LE object for x86_64 or AArch64
     */
    public static ElfFile parse(String name, byte[] bytes) throws ElfFormatException {
        byte[] copy = bytes.clone();
        return new ElfReader(new ByteView(name, copy)).read(copy);
    }

    /** The file name used in messages. */
    public String name() {
        return name;
    }

    /** The file header. */
    public ElfHeader header() {
        return header;
    }

    /** All section headers by index (index 0 is the null section); empty when the file has none. */
    public List<ElfSection> sections() {
        return sections;
    }

    /** All program headers. */
    public List<ElfProgramHeader> programHeaders() {
        return programHeaders;
    }

    /** Every {@code SHT_SYMTAB} and {@code SHT_DYNSYM} section, in section order. */
    public List<ElfSymbolTable> symbolTables() {
        return symbolTables;
    }

    /** The static symbol table {@code .symtab}, if present. */
    public Optional<ElfSymbolTable> staticSymbols() {
        return symbolTables.stream().filter(t -> !t.dynamic()).findFirst();
    }

    /** The dynamic symbol table {@code .dynsym}, if present. */
    public Optional<ElfSymbolTable> dynamicSymbols() {
        return symbolTables.stream().filter(ElfSymbolTable::dynamic).findFirst();
    }

    /** The symbol table stored in section {@code sectionIndex}, if that section is one. */
    public Optional<ElfSymbolTable> symbolTableAt(int sectionIndex) {
        return Optional.ofNullable(symbolTablesBySection.get(sectionIndex));
    }

    /** Every {@code SHT_RELA} section, in section order. */
    public List<ElfRelocationSection> relocationSections() {
        return relocationSections;
    }

    /** The first section called {@code sectionName}. */
    public Optional<ElfSection> section(String sectionName) {
        return sections.stream().filter(s -> s.name().equals(sectionName)).findFirst();
    }

    /** A copy of the file bytes of {@code section}; empty for {@code SHT_NOBITS}. */
    public byte[] contents(ElfSection section) {
        if (section.isNoBits() || section.type() == ElfConstants.SHT_NULL) {
            return new byte[0];
        }
        return copy(section.offset(), section.size());
    }

    /** A copy of the file bytes of a program header ({@code p_filesz} bytes). */
    public byte[] contents(ElfProgramHeader segment) {
        return copy(segment.offset(), segment.fileSize());
    }

    /** A read-only little-endian view of the whole file. */
    public ByteBuffer bytes() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private byte[] copy(long offset, long size) {
        byte[] out = new byte[(int) size];
        System.arraycopy(bytes, (int) offset, out, 0, (int) size);
        return out;
    }

    @Override
    public String toString() {
        return name + " (" + header.type() + ", " + header.arch() + ", " + sections.size() + " sections)";
    }
}
