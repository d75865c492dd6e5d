package io.hvprobe.loader;

import static io.hvprobe.elf.ElfConstants.EM_X86_64;
import static io.hvprobe.elf.ElfConstants.PF_R;
import static io.hvprobe.elf.ElfConstants.PF_X;
import static io.hvprobe.elf.ElfConstants.SHF_ALLOC;
import static io.hvprobe.elf.ElfConstants.SHF_EXECINSTR;
import static io.hvprobe.elf.ElfConstants.SHF_WRITE;
import static io.hvprobe.elf.ElfConstants.SHT_NOBITS;
import static io.hvprobe.elf.ElfConstants.SHT_PROGBITS;
import static io.hvprobe.elf.ElfConstants.SHT_RELA;
import static io.hvprobe.elf.ElfConstants.SHT_STRTAB;
import static io.hvprobe.elf.ElfConstants.SHT_SYMTAB;
import static org.assertj.core.api.Assertions.assertThat;

import io.hvprobe.elf.ElfBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-built hostile objects: each is rejected with one line naming the file and what is wrong, or loads into a
 * consistent image; none costs more than linear work or memory in its size. The base object is a minimal x86_64
 * {@code .o}: {@code .text} holding {@code call ext; ret}, a symbol table (null, section symbol, {@code f},
 * undefined {@code ext}) and one {@code R_X86_64_PLT32} against {@code ext}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang guard, not a speed target
class HostileElfTest {
    private static final int TEXT = 1;
    private static final int STRTAB = 2;
    private static final int SYMTAB = 3;
    private static final int RELA = 4;
    private static final int PLT32 = 4;

    private static ElfBuilder base() {
        ElfBuilder b = ElfBuilder.relocatable(EM_X86_64);
        b.section(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, new byte[] {(byte) 0xe8, 0, 0, 0, 0, (byte) 0xc3});
        b.section(".strtab", SHT_STRTAB, 0, ElfBuilder.strings("f", "ext"));
        b.section(".symtab", SHT_SYMTAB, 0, symbols(3));
        b.get(SYMTAB).link = STRTAB;
        b.get(SYMTAB).info = 3;
        b.get(SYMTAB).entrySize = 24;
        b.section(".rela.text", SHT_RELA, 0, ElfBuilder.rela(1, 3, PLT32, -4));
        b.get(RELA).link = SYMTAB;
        b.get(RELA).info = TEXT;
        b.get(RELA).entrySize = 24;
        return b;
    }

    /** The base symbols, the section symbol pointing at section {@code sectionSymbolTarget}. */
    private static byte[] symbols(int sectionSymbolTarget) {
        return ElfBuilder.concat(new byte[24], ElfBuilder.symbol(0, 0x03, sectionSymbolTarget, 0, 0),
                ElfBuilder.symbol(1, 0x12, TEXT, 0, 6), ElfBuilder.symbol(3, 0x10, 0, 0, 0));
    }

    private static Arguments hostile(String what, Consumer<ElfBuilder> corrupt, String expectedProblem) {
        ElfBuilder b = base();
        corrupt.accept(b);
        return Arguments.of(what, b.build(), expectedProblem);
    }

    static List<Arguments> hostileObjects() {
        return List.of(
                hostile("symbol index out of range", b -> b.get(RELA).data = ElfBuilder.rela(1, 9, PLT32, -4),
                        "section 4 (.rela.text) entry 0: symbol index 9 out of range (4 symbols)"),
                hostile("relocation past the end of its section",
                        b -> b.get(RELA).data = ElfBuilder.rela(4, 3, PLT32, -4),
                        "R_X86_64_PLT32 at .text+0x4 against 'ext': offset + 4 bytes past end of section (size 0x6)"),
                hostile("relocation type this loader does not implement",
                        b -> b.get(RELA).data = ElfBuilder.rela(1, 3, 25, -4), // R_X86_64_GOTOFF64
                        "R_X86_64_GOTOFF64 at .text+0x1 against 'ext': unsupported relocation type"),
                hostile("relocation target section out of range", b -> b.get(RELA).info = 77,
                        "section 4 (.rela.text): target section index 77 out of range (6 sections)"),
                hostile("symbol in a section that does not exist", b -> b.get(SYMTAB).data = symbols(40),
                        "section 3 (.symtab) symbol 1: section index 40 out of range (6 sections)"),
                hostile("relocation against a section that is not loaded", b -> {
                    b.get(SYMTAB).data = symbols(STRTAB);
                    b.get(RELA).data = ElfBuilder.rela(1, 1, PLT32, -4);
                }, "R_X86_64_PLT32 at .text+0x1 against section symbol .strtab: symbol is defined in section 2"
                        + " (.strtab), which is not loaded"),
                hostile("symbol table entry size 0", b -> b.get(SYMTAB).entrySize = 0,
                        "section 3 (.symtab): entry size 0x0, expected 24"),
                hostile("relocation entry size 0", b -> b.get(RELA).entrySize = 0,
                        "section 4 (.rela.text): entry size 0x0, expected 24"),
                hostile("4 GiB section with file bytes", b -> b.get(TEXT).size = 1L << 32,
                        "section 1 offset 0x40 + size 0x100000000 past end of file"),
                hostile("4 GiB .bss", b -> {
                    b.section(".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, null);
                    b.get(5).size = 1L << 32;
                }, "section 5 (.bss) size 0x100000000 exceeds the image cap of 0x10000000 bytes"),
                hostile("section offset past the end", b -> b.get(TEXT).offset = 1L << 62,
                        "section 1 offset 0x4000000000000000 + size 0x6 past end of file"),
                hostile("section offset -1", b -> b.get(TEXT).offset = -1L,
                        "section 1 offset 0xffffffffffffffff + size 0x6 past end of file"),
                hostile("e_shnum larger than the file holds", b -> b.shnum = 0xfeff,
                        "section header table: 65279 entries at offset"),
                hostile("alignment that is not a power of two", b -> b.get(TEXT).alignment = 3,
                        "section 1 (.text) alignment 0x3 is not a power of two up to 0x200000"),
                hostile("alignment of 1 TiB", b -> b.get(TEXT).alignment = 1L << 40,
                        "section 1 (.text) alignment 0x10000000000 is not a power of two up to 0x200000"),
                hostile("name without its NUL", b -> b.get(STRTAB).data = new byte[] {0, 'f', 'x'},
                        "section 3 (.symtab) symbol 2: string at offset 0x1 in section 2 is not NUL-terminated"),
                hostile("symbol table linked to itself", b -> b.get(SYMTAB).link = SYMTAB,
                        "section 3 (.symtab): linked section 3 is not a string table"),
                hostile("string table index out of range", b -> b.get(SYMTAB).link = 100_000,
                        "section 3 (.symtab): string table index 100000 out of range (6 sections)"),
                hostile("function of 2 GiB in a 6-byte section", b -> b.get(SYMTAB).data = symbolF(0, 0x7fff_ffffL),
                        "symbol 'f' (#2) at .text+0x0 with size 0x7fffffff lies outside its section (size 0x6)"),
                hostile("function of 0x7f000000 bytes", b -> b.get(SYMTAB).data = symbolF(0, 0x7f00_0000L),
                        "symbol 'f' (#2) at .text+0x0 with size 0x7f000000 lies outside its section (size 0x6)"),
                hostile("function starting past its section", b -> b.get(SYMTAB).data = symbolF(0x100, 1),
                        "symbol 'f' (#2) at .text+0x100 with size 0x1 lies outside its section (size 0x6)"),
                hostile("function running one byte past its section", b -> b.get(SYMTAB).data = symbolF(1, 6),
                        "symbol 'f' (#2) at .text+0x1 with size 0x6 lies outside its section (size 0x6)"),
                hostile("function at a negative offset", b -> b.get(SYMTAB).data = symbolF(-1, 1),
                        "symbol 'f' (#2) at .text+0xffffffffffffffff with size 0x1 lies outside its section"));
    }

    /** The base symbols with {@code f} at {@code value} of {@code size} bytes. */
    private static byte[] symbolF(long value, long size) {
        return ElfBuilder.concat(new byte[24], ElfBuilder.symbol(0, 0x03, TEXT, 0, 0),
                ElfBuilder.symbol(1, 0x12, TEXT, value, size), ElfBuilder.symbol(3, 0x10, 0, 0, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileObjects")
    void hostileObjectIsOneLineNamingFileAndProblem(String what, byte[] file, String expectedProblem) {
        assertThat(loadProblem(file)).contains(expectedProblem);
    }

    @Test
    void overlappingFileRangesStillGiveEachSectionItsOwnMemory() throws Exception {
        ElfBuilder b = base();
        int data = b.section(".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, new byte[8]);
        b.get(data).offset = 64L; // the same file bytes as .text
        GuestImage image = ImageLoader.load("h.o", b.build(), LoadOptions.defaults());

        long text = image.section(".text").orElseThrow().address();
        long copy = image.section(".data").orElseThrow().address();
        assertThat(copy).isNotEqualTo(text);
        assertThat(image.read(copy, 1)).containsExactly(0xe8);
    }

    @Test
    void overlappingLoadSegmentsAreAnError() {
        ElfBuilder b = ElfBuilder.executable(EM_X86_64);
        int text = b.section(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, new byte[] {(byte) 0xc3});
        b.load(0x400000, 0x2000, PF_R | PF_X, text);
        b.load(0x401000, 0x1000, PF_R | PF_X, text);

        assertThat(loadProblem(b.build())).isEqualTo("program headers 0 and 1 overlap in memory");
    }

    /**
     * A 128 MiB {@code .bss} declared by a file of a few hundred bytes allocates next to nothing: segments hold
     * only what was written into them, and the machine maps the zeroes without copying them. Before, loading and
     * mapping it allocated about 3.3 times its size.
     */
    @Test
    void aLargeZeroFilledSegmentIsNotCopiedAgainAndAgain() throws Exception {
        long bss = 128L << 20;
        ElfBuilder b = base();
        b.section(".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, null);
        b.get(5).size = bss;
        byte[] file = b.build();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();

        GuestImage image = ImageLoader.load("h.o", file, LoadOptions.defaults());
        try (io.hvprobe.guest.GuestMachine machine = io.hvprobe.guest.GuestMachine.create(image,
                io.hvprobe.guest.MachineOptions.defaults())) {
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            long end = image.section(".bss").orElseThrow().address() + bss - 8;
            assertThat(machine.read(end, 8)).containsOnly(0);
            assertThat(image.read(end, 8)).containsOnly(0);
            assertThat(allocated).isLessThan(16L << 20);
        }
    }

    @Test
    void functionEndingExactlyAtItsSectionEndLoads() throws Exception {
        ElfBuilder b = base();
        b.get(SYMTAB).data = symbolF(0, 6);
        assertThat(ImageLoader.load("h.o", b.build(), LoadOptions.defaults()).symbol("f").orElseThrow().size())
                .isEqualTo(6);
    }

    @Test
    void codeOutsideEveryLoadSegmentIsAnError() {
        ElfBuilder b = ElfBuilder.executable(EM_X86_64);
        int text = b.section(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, new byte[] {(byte) 0xc3});
        b.get(text).address = 0x400000;
        int far = b.section(".text.far", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, new byte[] {(byte) 0xed});
        b.get(far).address = 0x900000;
        b.load(0x400000, 0x1000, PF_R | PF_X, text);

        assertThat(loadProblem(b.build())).isEqualTo("section 2 (.text.far) at 0x900000 size 0x1 holds code but"
                + " lies outside every loaded segment");
    }

    @Test
    void linkedFunctionOutsideItsSectionIsAnError() {
        ElfBuilder b = ElfBuilder.executable(EM_X86_64);
        int text = b.section(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, new byte[] {(byte) 0xc3});
        b.get(text).address = 0x400000;
        b.load(0x400000, 0x1000, PF_R | PF_X, text);
        int strtab = b.section(".strtab", SHT_STRTAB, 0, ElfBuilder.strings("f", "_end"));
        int symtab = b.section(".symtab", SHT_SYMTAB, 0, ElfBuilder.concat(new byte[24],
                ElfBuilder.symbol(3, 0x10, text, 0x400100, 0), // a linker-script label may sit anywhere
                ElfBuilder.symbol(1, 0x12, text, 0x400000, 0x7f00_0000L)));
        b.get(symtab).link = strtab;
        b.get(symtab).info = 1;
        b.get(symtab).entrySize = 24;

        assertThat(loadProblem(b.build())).isEqualTo("symbol 'f' (#2) at .text+0x0 with size 0x7f000000 lies"
                + " outside its section (size 0x1)");
    }

    @Test
    void upperHalfLoadAddressesAreNamedAsUnsupported() {
        ElfBuilder b = ElfBuilder.executable(EM_X86_64);
        int text = b.section(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, new byte[] {(byte) 0xc3});
        b.load(0xffff_ffff_8100_0000L, 0x1000, PF_R | PF_X, text);

        assertThat(loadProblem(b.build())).isEqualTo("program header 0 at 0xffffffff81000000: upper-half addresses"
                + " (from 0x8000000000000000, e.g. a linked kernel image) are not supported");
    }

    /** Many symbol tables and relocation sections: the reader indexes them instead of searching per section. */
    @Test
    void hundredThousandSymbolTablesAreReadInLinearTime() {
        ElfBuilder b = base();
        for (int i = 0; i < 100_000; i++) {
            int s = b.section("", SHT_SYMTAB, 0, new byte[0]);
            b.get(s).link = STRTAB;
            b.get(s).entrySize = 24;
        }
        assertThat(loadProblem(b.build())).isEqualTo("relocatable object has 100001 symbol tables; expected one");
    }

    @Test
    void manyRelocationSectionsOnOneLargeSectionCopyItOnce() throws Exception {
        ElfBuilder b = base();
        byte[] text = new byte[1 << 20];
        text[0] = (byte) 0xe8;
        b.get(TEXT).data = text;
        for (int i = 0; i < 50_000; i++) {
            int s = b.section("", SHT_RELA, 0, ElfBuilder.rela(1, 3, PLT32, -4));
            b.get(s).link = SYMTAB;
            b.get(s).info = TEXT;
            b.get(s).entrySize = 24;
        }
        GuestImage image = ImageLoader.load("h.o", b.build(), LoadOptions.defaults());
        assertThat(image.stub("ext")).isPresent();
    }

    /**
     * 40,000 symbols whose names start at successive bytes of 16 KiB names would be about 320 MiB of strings from a
     * 1 MiB file: the reader stops at its name budget (twice the file size plus 16 MiB) instead.
     */
    @Test
    void overlappingNamesStopAtTheNameBudget() {
        ElfBuilder b = base();
        int run = 16 * 1024 - 1;
        byte[] strings = new byte[1 + 4 * (run + 1)];
        Arrays.fill(strings, (byte) 'a');
        for (int nul = 0; nul < strings.length; nul += run + 1) {
            strings[nul] = 0;
        }
        b.get(STRTAB).data = strings;
        byte[][] symbols = new byte[40_001][];
        symbols[0] = new byte[24];
        for (int i = 1; i < symbols.length; i++) {
            symbols[i] = ElfBuilder.symbol(i, 0x10, 0, 0, 0);
        }
        b.get(SYMTAB).data = ElfBuilder.concat(symbols);
        b.get(RELA).data = new byte[0];

        byte[] file = b.build();
        assertThat(loadProblem(file)).endsWith("names add up to more than " + (2L * file.length + (16 << 20))
                + " bytes, twice the file size plus 16 MiB (string table entries overlap implausibly)");
    }

    private static String loadProblem(byte[] file) {
        try {
            ImageLoader.load("h.o", file, LoadOptions.defaults());
        } catch (LoadException e) {
            assertThat(e.getMessage()).startsWith("h.o: ").doesNotContain("\n");
            return e.getMessage().substring("h.o: ".length());
        }
        throw new AssertionError("hostile object was accepted");
    }
}
