package io.hvprobe.cli;

import io.hvprobe.elf.ElfConstants;
import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.ElfFormatException;
import io.hvprobe.elf.ElfProgramHeader;
import io.hvprobe.elf.ElfSection;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded, structure-aware corruption of one well-formed ELF64 file: it knows where every header, section-header,
 * program-header, symbol, relocation and dynamic-entry field lies, and where the code is, so most mutants get past
 * the first sanity checks and reach the loader's layout, the scan, the call graph and the emulator.
 */
final class ElfMutator {
    /** Values that sit on the edges of the checks: zero, sign bits, page and 32-bit limits, the 2 GiB sizes. */
    private static final long[] BOUNDARY = {0, 1, 2, 7, 8, 0x7f, 0x80, 0xff, 0xfff, 0x1000, 0xff00, 0xfff1,
            0xfff2, 0xffff, 0x10000, 0x7f00_0000L, 0x7fff_ffffL, 0x8000_0000L, 0xffff_ffffL, 0x1_0000_0000L,
            0x10_0000_0000L, Long.MAX_VALUE, Long.MIN_VALUE, -1, -8, -0x1000};

    /** A field of the pristine file: where it is, how wide, and what kind of structure holds it. */
    private record Field(int offset, int size, String what) {
    }

    private final byte[] pristine;
    private final List<Field> fields = new ArrayList<>();
    private final List<Field> symbolExtents = new ArrayList<>();
    private final List<Field> sectionPlaces = new ArrayList<>();
    private final List<long[]> code = new ArrayList<>();

    ElfMutator(String name, byte[] pristine) throws ElfFormatException {
        this.pristine = pristine.clone();
        index(ElfFile.parse(name, pristine));
    }

    /**
     * One mutant: one to three corruptions drawn from {@code random}.
     *
     * @return the mutant's bytes and a description of what was done to it, for the failure message
     */
    Mutant mutate(SplittableRandom random) {
        byte[] b = pristine.clone();
        StringBuilder what = new StringBuilder();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            if (!what.isEmpty()) {
                what.append("; ");
            }
            switch (random.nextInt(8)) {
                case 0, 1 -> what.append(overwrite(b, fields.get(random.nextInt(fields.size())), random));
                case 2 -> what.append(symbolExtent(b, random));
                case 3 -> what.append(sectionPlace(b, random));
                case 4 -> what.append(scribbleCode(b, random));
                case 5 -> what.append(flipBits(b, random));
                case 6 -> what.append(overwrite(b, fields.get(random.nextInt(Math.min(fields.size(), 13))), random));
                default -> {
                    if (random.nextInt(4) == 0) {
                        int length = random.nextInt(b.length);
                        return new Mutant(Arrays.copyOf(b, length), what + "truncated to " + length);
                    }
                    what.append(flipBits(b, random));
                }
            }
        }
        return new Mutant(b, what.toString());
    }

    /** A mutant file and how it was made. */
    record Mutant(byte[] bytes, String description) {
    }

    private String symbolExtent(byte[] b, SplittableRandom random) {
        if (symbolExtents.isEmpty()) {
            return flipBits(b, random);
        }
        Field f = symbolExtents.get(random.nextInt(symbolExtents.size()));
        long[] hostile = {0x7fff_ffffL, 0x7f00_0000L, 0x10_0000L, 0x1001, -1, Long.MIN_VALUE};
        long old = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(f.offset());
        long value = random.nextBoolean() ? hostile[random.nextInt(hostile.length)] : old + random.nextInt(-64, 4096);
        put(b, f, value);
        return f.what() + " = 0x" + Long.toHexString(value);
    }

    private String sectionPlace(byte[] b, SplittableRandom random) {
        if (sectionPlaces.isEmpty()) {
            return flipBits(b, random);
        }
        Field f = sectionPlaces.get(random.nextInt(sectionPlaces.size()));
        long old = f.size() == 8 ? ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(f.offset()) : 0;
        long value = switch (random.nextInt(4)) {
            case 0 -> old + random.nextInt(-0x2000, 0x2000);
            case 1 -> old ^ (1L << random.nextInt(64));
            case 2 -> ElfConstants.SHF_ALLOC | ElfConstants.SHF_EXECINSTR | (random.nextBoolean() ? 1 : 0);
            default -> BOUNDARY[random.nextInt(BOUNDARY.length)];
        };
        put(b, f, value);
        return f.what() + " = 0x" + Long.toHexString(value);
    }

    /** Random bytes over part of an executable section: branches anywhere, loops, invalid instructions. */
    private String scribbleCode(byte[] b, SplittableRandom random) {
        if (code.isEmpty()) {
            return flipBits(b, random);
        }
        long[] range = code.get(random.nextInt(code.size()));
        int start = (int) range[0] + random.nextInt((int) range[1]);
        int length = Math.min(1 + random.nextInt(16), (int) (range[0] + range[1]) - start);
        for (int i = 0; i < length; i++) {
            b[start + i] = (byte) random.nextInt(256);
        }
        return length + " random code bytes at file offset " + start;
    }

    private static String flipBits(byte[] b, SplittableRandom random) {
        int flips = 1 + random.nextInt(6);
        StringBuilder what = new StringBuilder("bit flips at");
        for (int f = 0; f < flips; f++) {
            int at = random.nextInt(8) == 0 ? random.nextInt(Math.min(64, b.length)) : random.nextInt(b.length);
            int bit = random.nextInt(8);
            b[at] ^= (byte) (1 << bit);
            what.append(' ').append(at).append('.').append(bit);
        }
        return what.toString();
    }

    private String overwrite(byte[] b, Field f, SplittableRandom random) {
        long value = switch (random.nextInt(6)) {
            case 0 -> random.nextLong();
            case 1 -> b.length + random.nextInt(-2, 3); // around the file length
            default -> BOUNDARY[random.nextInt(BOUNDARY.length)];
        };
        put(b, f, value);
        return f.what() + " = 0x" + Long.toHexString(value);
    }

    private static void put(byte[] b, Field f, long value) {
        ByteBuffer w = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        switch (f.size()) {
            case 1 -> w.put(f.offset(), (byte) value);
            case 2 -> w.putShort(f.offset(), (short) value);
            case 4 -> w.putInt(f.offset(), (int) value);
            default -> w.putLong(f.offset(), value);
        }
    }

    /** Records the fields of {@code elf}; the file header's come first (strategy 6 favours them). */
    private void index(ElfFile elf) {
        int[][] ehdr = {{4, 1}, {5, 1}, {16, 2}, {18, 2}, {24, 8}, {32, 8}, {40, 8}, {52, 2}, {54, 2}, {56, 2},
                {58, 2}, {60, 2}, {62, 2}};
        for (int[] f : ehdr) {
            fields.add(new Field(f[0], f[1], "e_header@" + f[0]));
        }
        ByteBuffer in = ByteBuffer.wrap(pristine).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = in.getLong(40);
        String[] shNames = {"sh_name", "sh_type", "sh_flags", "sh_addr", "sh_offset", "sh_size", "sh_link",
                "sh_info", "sh_addralign", "sh_entsize"};
        int[][] shdr = {{0, 4}, {4, 4}, {8, 8}, {16, 8}, {24, 8}, {32, 8}, {40, 4}, {44, 4}, {48, 8}, {56, 8}};
        for (ElfSection s : elf.sections()) {
            for (int i = 0; i < shdr.length; i++) {
                Field f = new Field((int) (shoff + 64L * s.index() + shdr[i][0]), shdr[i][1],
                        "section " + s.index() + " (" + s.name() + ") " + shNames[i]);
                fields.add(f);
                if (s.isAllocated() && (i == 2 || i == 3 || i == 4 || i == 5)) {
                    sectionPlaces.add(f);
                }
            }
            if (s.isExecutable() && !s.isNoBits() && s.size() > 0) {
                code.add(new long[] {s.offset(), s.size()});
            }
            switch (s.type()) {
                case ElfConstants.SHT_SYMTAB, ElfConstants.SHT_DYNSYM -> symbols(s);
                case ElfConstants.SHT_RELA -> entries(s, 24, new int[][] {{0, 8}, {8, 4}, {12, 4}, {16, 8}}, "rela");
                case 6 /* SHT_DYNAMIC */ -> entries(s, 16, new int[][] {{0, 8}, {8, 8}}, "dynamic");
                default -> { }
            }
        }
        long phoff = in.getLong(32);
        int[][] phdr = {{0, 4}, {4, 4}, {8, 8}, {16, 8}, {32, 8}, {40, 8}, {48, 8}};
        for (ElfProgramHeader p : elf.programHeaders()) {
            for (int[] f : phdr) {
                fields.add(new Field((int) (phoff + 56L * p.index() + f[0]), f[1],
                        "program header " + p.index() + "@" + f[0]));
            }
        }
    }

    private void symbols(ElfSection s) {
        int[][] sym = {{0, 4}, {4, 1}, {5, 1}, {6, 2}, {8, 8}, {16, 8}};
        for (long at = s.offset(); at + 24 <= s.offset() + s.size(); at += 24) {
            int k = (int) ((at - s.offset()) / 24);
            for (int[] f : sym) {
                Field field = new Field((int) (at + f[0]), f[1], s.name() + " symbol " + k + "@" + f[0]);
                fields.add(field);
                if (f[0] >= 8) {
                    symbolExtents.add(field);
                }
            }
        }
    }

    private void entries(ElfSection s, int size, int[][] layout, String kind) {
        for (long at = s.offset(); at + size <= s.offset() + s.size(); at += size) {
            for (int[] f : layout) {
                fields.add(new Field((int) (at + f[0]), f[1], s.name() + " " + kind + "@" + (at - s.offset() + f[0])));
            }
        }
    }
}
