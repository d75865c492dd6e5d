package io.hvprobe.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Corrupt headers, tables and indices give one clear {@link ElfFormatException} naming the file. The input is
 * {@code module-x86_64.o}, a gcc build of {@code module.c} kept as a fixture.
 */
class ElfFileErrorTest {
    private byte[] good;
    private ByteBuffer le;
    private ElfFile parsed;

    @BeforeEach
    void readFixture() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/io/hvprobe/loader/module-x86_64.o")) {
            good = in.readAllBytes();
        }
        le = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN);
        parsed = ElfFile.parse("vmw.o", good);
    }

    private long shoff() {
        return le.getLong(40);
    }

    private int sectionHeader(int index) {
        return (int) (shoff() + 64L * index);
    }

    private static String problemOf(byte[] bytes) {
        try {
            ElfFile.parse("vmw.o", bytes);
        } catch (ElfFormatException e) {
            assertThat(e.fileName()).isEqualTo("vmw.o");
            assertThat(e.getMessage()).startsWith("vmw.o: ").doesNotContain("\n");
            return e.problem();
        }
        throw new AssertionError("corrupt file was accepted");
    }

    private byte[] with(int offset, int size, long value) {
        byte[] b = good.clone();
        ByteBuffer w = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        switch (size) {
            case 1 -> w.put(offset, (byte) value);
            case 2 -> w.putShort(offset, (short) value);
            case 4 -> w.putInt(offset, (int) value);
            default -> w.putLong(offset, value);
        }
        return b;
    }

    @Test
    void fixtureParses() {
        assertThat(parsed.header().arch()).isEqualTo(io.hvprobe.arch.Arch.X86_64);
        assertThat(parsed.section(".text")).isPresent();
    }

    @Test
    void wrongClassEndiannessAndMachineAreNamed() {
        assertThat(problemOf(with(4, 1, 1))).contains("ELFCLASS32");
        assertThat(problemOf(with(5, 1, 2))).contains("big-endian");
        assertThat(problemOf(with(18, 2, 40))).isEqualTo(
                "machine 40 (EM_ARM) is not supported; need EM_X86_64 (62) or EM_AARCH64 (183)");
        assertThat(problemOf(with(16, 2, 4))).contains("ET_CORE");
        assertThat(problemOf("MZ\0\0 not elf".getBytes())).contains("not an ELF file");
    }

    @Test
    void truncationIsReported() {
        assertThat(problemOf(Arrays.copyOf(good, 40))).isEqualTo("file is 40 bytes, shorter than an ELF64 header (64)");
        assertThat(problemOf(Arrays.copyOf(good, (int) shoff() + 100))).contains("section header table")
                .contains("past end of file");
    }

    @Test
    void sectionPastEndOfFileNamesOffsetSizeAndLength() {
        ElfSection text = parsed.section(".text").orElseThrow();
        byte[] bad = with(sectionHeader(text.index()) + 24, 8, 0x9000);
        assertThat(problemOf(bad)).isEqualTo("section " + text.index() + " offset 0x9000 + size 0x"
                + Long.toHexString(text.size()) + " past end of file (0x" + Integer.toHexString(good.length) + ")");
        // an offset near 2^64 must not wrap around into the file
        assertThat(problemOf(with(sectionHeader(text.index()) + 24, 8, -8))).contains("past end of file");
        assertThat(problemOf(with(sectionHeader(text.index()) + 32, 8, Long.MIN_VALUE))).contains("past end of file");
    }

    @Test
    void badIndicesAreReported() {
        assertThat(problemOf(with(62, 2, 200))).isEqualTo("section name string table index 200 out of range ("
                + parsed.sections().size() + " sections)");
        ElfSection symtab = parsed.section(".symtab").orElseThrow();
        ElfSymbol defined = parsed.staticSymbols().orElseThrow().symbols().stream()
                .filter(s -> s.name().equals("probe")).findFirst().orElseThrow();
        int symbolEntry = (int) (symtab.offset() + 24L * defined.index());
        assertThat(problemOf(with(symbolEntry + 6, 2, 0x7000))).contains("symbol " + defined.index() + " 'probe'")
                .contains("section index 28672 out of range");
        assertThat(problemOf(with(symbolEntry, 4, 0x7fff_0000))).contains("outside string table");
        ElfRelocationSection rela = parsed.relocationSections().getFirst();
        int infoField = (int) (rela.section().offset() + 8);
        assertThat(problemOf(with(infoField + 4, 4, 5000))).contains("entry 0: symbol index 5000 out of range");
        assertThat(problemOf(with(sectionHeader(rela.section().index()) + 44, 4, 999)))
                .contains("target section index 999 out of range");
        assertThat(problemOf(with(sectionHeader(symtab.index()) + 40, 4, 0))).contains("string table index 0");
    }

    @Test
    void badEntrySizesAreReported() {
        ElfSection symtab = parsed.section(".symtab").orElseThrow();
        assertThat(problemOf(with(sectionHeader(symtab.index()) + 56, 8, 16))).contains("entry size 0x10, expected 24");
        assertThat(problemOf(with(58, 2, 40))).isEqualTo("e_shentsize is 40, expected 64");
    }

    @Test
    void hugeDeclaredCountsFailWithoutAllocating() {
        // e_shnum = 0 defers the count to section 0's sh_size; a huge value must be rejected, not allocated
        byte[] bad = with(60, 2, 0);
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putLong(sectionHeader(0) + 32, 1L << 40);
        assertThat(problemOf(bad)).contains("section header table: 1099511627776 entries");
        assertThat(problemOf(with(sectionHeader(parsed.section(".symtab").orElseThrow().index()) + 32, 8,
                1L << 62))).contains("past end of file");
    }

    @Test
    void extendedNumberingEscapesAreFollowed() throws Exception {
        byte[] b = with(60, 2, 0); // e_shnum = 0 -> count in section 0 sh_size
        ByteBuffer w = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        w.putLong(sectionHeader(0) + 32, parsed.sections().size());
        int shstrndx = parsed.header().sectionNameTableIndex();
        w.putShort(62, (short) 0xffff); // SHN_XINDEX -> index in section 0 sh_link
        w.putInt(sectionHeader(0) + 40, shstrndx);
        ElfFile extended = ElfFile.parse("vmw.o", b);
        assertThat(extended.sections()).extracting(ElfSection::name)
                .isEqualTo(parsed.sections().stream().map(ElfSection::name).toList());
        assertThat(extended.header().sectionNameTableIndex()).isEqualTo(shstrndx);
    }

    @Test
    void symbolUsingXindexWithoutTableIsRejected() {
        ElfSection symtab = parsed.section(".symtab").orElseThrow();
        int entry = (int) (symtab.offset() + 24L * 3);
        assertThat(problemOf(with(entry + 6, 2, 0xffff))).contains("SHN_XINDEX but there is no SHT_SYMTAB_SHNDX");
    }

    @Test
    void unterminatedStringIsRejected() throws IOException {
        ElfSection strtab = parsed.section(".strtab").orElseThrow();
        byte[] b = good.clone();
        Arrays.fill(b, (int) strtab.offset(), (int) (strtab.offset() + strtab.size()), (byte) 'A');
        assertThat(problemOf(b)).contains("not NUL-terminated");
    }
}
