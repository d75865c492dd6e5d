package io.hvprobe.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.fornwall.jelf.ElfRelocationAddendSection;
import net.fornwall.jelf.ElfSymbolTableSection;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Objects built by every compiler parse the same way here as in jelf and readelf. */
class ElfFileOracleTest {
    @TempDir
    Path dir;

    private Path build(Toolchain tc) throws Exception {
        return tc.arch() == io.hvprobe.arch.Arch.X86_64
                ? tc.compile(dir, "module.c", "m.o", "-c", "-O2", "-mcmodel=kernel", "-mno-red-zone", "-fno-pic",
                "-ffreestanding")
                : tc.compile(dir, "module.c", "m.o", "-c", "-O2", "-ffreestanding");
    }

    @ParameterizedTest
    @EnumSource(Toolchain.class)
    void sectionsSymbolsAndRelocationsMatchJelf(Toolchain tc) throws Exception {
        Path obj = build(tc);
        byte[] bytes = Files.readAllBytes(obj);
        ElfFile ours = ElfFile.parse("m.o", bytes);
        net.fornwall.jelf.ElfFile oracle = net.fornwall.jelf.ElfFile.from(bytes);

        assertThat(ours.header().type()).isEqualTo(ElfType.RELOCATABLE);
        assertThat(ours.header().arch()).isEqualTo(tc.arch());
        assertThat(ours.sections()).hasSize(oracle.e_shnum);
        for (int i = 0; i < oracle.e_shnum; i++) {
            var theirs = oracle.getSection(i).header;
            ElfSection s = ours.sections().get(i);
            assertThat(s.name()).as("section %d", i).isEqualTo(theirs.getName() == null ? "" : theirs.getName());
            assertThat(s.type()).isEqualTo(theirs.sh_type);
            assertThat(s.flags()).isEqualTo(theirs.sh_flags);
            assertThat(s.offset()).isEqualTo(theirs.sh_offset);
            assertThat(s.size()).isEqualTo(theirs.sh_size);
            assertThat(s.alignment()).isEqualTo(theirs.sh_addralign);
        }

        ElfSymbolTableSection theirSymbols = oracle.getSymbolTableSection();
        List<ElfSymbol> symbols = ours.staticSymbols().orElseThrow().symbols();
        assertThat(symbols).hasSize(theirSymbols.symbols.length);
        for (int i = 0; i < symbols.size(); i++) {
            var theirs = theirSymbols.symbols[i];
            ElfSymbol s = symbols.get(i);
            assertThat(s.name()).isEqualTo(theirs.getName() == null ? "" : theirs.getName());
            assertThat(s.value()).isEqualTo(theirs.st_value);
            assertThat(s.size()).isEqualTo(theirs.st_size);
            assertThat(s.type()).isEqualTo(theirs.getType());
            assertThat(s.binding()).isEqualTo(theirs.getBinding());
            assertThat(s.sectionIndex()).isEqualTo(Short.toUnsignedInt(theirs.st_shndx));
        }

        List<ElfRelocationAddendSection> theirRelocations = oracle.sectionsOfType(ElfRelocationAddendSection.class);
        assertThat(ours.relocationSections()).hasSize(theirRelocations.size());
        for (int i = 0; i < theirRelocations.size(); i++) {
            var theirs = theirRelocations.get(i).relocations;
            List<ElfRelocation> mine = ours.relocationSections().get(i).relocations();
            assertThat(mine).hasSize(theirs.length);
            for (int j = 0; j < theirs.length; j++) {
                assertThat(mine.get(j)).isEqualTo(new ElfRelocation(theirs[j].r_offset, (int) theirs[j].getType(),
                        theirs[j].getSymbolIndex(), theirs[j].r_addend));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Toolchain.class)
    void relocationTypeNamesMatchReadelf(Toolchain tc) throws Exception {
        Path obj = build(tc);
        ElfFile ours = ElfFile.parse("m.o", Files.readAllBytes(obj));
        List<String> expected = new ArrayList<>();
        for (String line : Toolchain.readelf("-r", obj.toString()).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[2].startsWith("R_")) {
                expected.add(f[0].replaceFirst("^0+(?=.)", "") + " " + f[2]);
            }
        }
        List<String> actual = new ArrayList<>();
        for (ElfRelocationSection rs : ours.relocationSections()) {
            for (ElfRelocation r : rs.relocations()) {
                actual.add(Long.toHexString(r.offset()) + " " + RelocationTypes.name(tc.arch(), r.type()));
            }
        }
        assertThat(actual).isNotEmpty().isEqualTo(expected);
    }
}
