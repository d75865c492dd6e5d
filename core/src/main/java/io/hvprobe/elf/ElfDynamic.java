package io.hvprobe.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a linked file's dynamic section ({@code SHT_DYNAMIC}) says about loading it with others: the shared objects
 * it needs, its own name, its constructors and its destructors.
 *
 * @param needed        {@code DT_NEEDED} names, in order
 * @param soname        {@code DT_SONAME}
 * @param init          {@code DT_INIT}: the constructor function's link-time address
 * @param initArray     {@code DT_INIT_ARRAY}: the link-time address of the constructor pointer array
 * @param initArraySize {@code DT_INIT_ARRAYSZ} in bytes (0 without an array)
 * @param fini          {@code DT_FINI}: the destructor function's link-time address
 * @param finiArray     {@code DT_FINI_ARRAY}: the link-time address of the destructor pointer array
 * @param finiArraySize {@code DT_FINI_ARRAYSZ} in bytes (0 without an array)
 */
public record ElfDynamic(List<String> needed, Optional<String> soname, OptionalLong init, OptionalLong initArray,
                         long initArraySize, OptionalLong fini, OptionalLong finiArray, long finiArraySize) {
    private static final int SHT_DYNAMIC = 6;
    private static final long DT_NULL = 0;
    private static final long DT_NEEDED = 1;
    private static final long DT_INIT = 12;
    private static final long DT_FINI = 13;
    private static final long DT_SONAME = 14;
    private static final long DT_INIT_ARRAY = 25;
    private static final long DT_FINI_ARRAY = 26;
    private static final long DT_INIT_ARRAYSZ = 27;
    private static final long DT_FINI_ARRAYSZ = 28;
    /** Most entries read (real files have a few dozen). */
    private static final int MAX_ENTRIES = 4096;
    /** Longest name read from the string table. */
    private static final int MAX_NAME = 4096;

    public ElfDynamic {
        needed = List.copyOf(needed);
    }

    /** Nothing: a file without a dynamic section. */
    public static ElfDynamic none() {
        return new ElfDynamic(List.of(), Optional.empty(), OptionalLong.empty(), OptionalLong.empty(), 0,
                OptionalLong.empty(), OptionalLong.empty(), 0);
    }

    /**
     * Reads {@code elf}'s dynamic section (none when it has none).
     *
     * @throws ElfFormatException for a string offset outside the string table
     */
    public static ElfDynamic of(ElfFile elf) throws ElfFormatException {
        ElfSection dynamic = elf.sections().stream().filter(s -> s.type() == SHT_DYNAMIC).findFirst().orElse(null);
        if (dynamic == null) {
            return none();
        }
        if (dynamic.link() <= 0 || dynamic.link() >= elf.sections().size()) {
            throw new ElfFormatException(elf.name(), "dynamic section " + dynamic.index()
                    + " has no string table (link " + dynamic.link() + ")");
        }
        byte[] strings = elf.contents(elf.sections().get(dynamic.link()));
        ByteBuffer b = ByteBuffer.wrap(elf.contents(dynamic)).order(ByteOrder.LITTLE_ENDIAN);
        List<Long> neededOffsets = new ArrayList<>();
        long soname = -1;
        OptionalLong init = OptionalLong.empty();
        OptionalLong initArray = OptionalLong.empty();
        long initArraySize = 0;
        OptionalLong fini = OptionalLong.empty();
        OptionalLong finiArray = OptionalLong.empty();
        long finiArraySize = 0;
        for (int i = 0; i < MAX_ENTRIES && b.remaining() >= 16; i++) {
            long tag = b.getLong();
            long value = b.getLong();
            if (tag == DT_NULL) {
                break;
            } else if (tag == DT_NEEDED) {
                neededOffsets.add(value);
            } else if (tag == DT_SONAME) {
                soname = value;
            } else if (tag == DT_INIT) {
                init = OptionalLong.of(value);
            } else if (tag == DT_INIT_ARRAY) {
                initArray = OptionalLong.of(value);
            } else if (tag == DT_INIT_ARRAYSZ) {
                initArraySize = value;
            } else if (tag == DT_FINI) {
                fini = OptionalLong.of(value);
            } else if (tag == DT_FINI_ARRAY) {
                finiArray = OptionalLong.of(value);
            } else if (tag == DT_FINI_ARRAYSZ) {
                finiArraySize = value;
            }
        }
        List<String> needed = new ArrayList<>();
        for (long offset : neededOffsets) {
            needed.add(string(elf, strings, offset));
        }
        return new ElfDynamic(needed, soname < 0 ? Optional.empty() : Optional.of(string(elf, strings, soname)),
                init, initArray, initArraySize, fini, finiArray, finiArraySize);
    }

    private static String string(ElfFile elf, byte[] table, long offset) throws ElfFormatException {
        if (offset < 0 || offset >= table.length) {
            throw new ElfFormatException(elf.name(), "dynamic string offset " + offset
                    + " outside its string table of " + table.length + " bytes");
        }
        int end = (int) offset;
        while (end < table.length && end - offset < MAX_NAME && table[end] != 0) {
            end++;
        }
        return new String(table, (int) offset, end - (int) offset, StandardCharsets.UTF_8);
    }
}
