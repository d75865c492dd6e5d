package io.hvprobe.dwarf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.ElfFormatException;
import io.hvprobe.elf.ElfSection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile debug information: seeded mutants of real {@code -g} objects (gcc and clang, x86_64 and arm64, DWARF 4
 * and 5) with bytes of their debug sections and debug relocations overwritten. The reader must answer each with
 * debug information or a {@link DwarfFormatException}, never another exception, and lookups must not throw.
 */
class DebugInfoMutationTest {
    private static final int MUTANTS_PER_OBJECT = 400;

    @TempDir
    Path dir;

    @Test
    void mutatedDebugSectionsGiveInformationOrOneLineError() throws Exception {
        int parsed = 0;
        int rejected = 0;
        long seed = 0x5eed_d3a4fL;
        for (Path object : objects()) {
            byte[] original = Files.readAllBytes(object);
            ElfFile elf = ElfFile.parse(object.toString(), original);
            List<long[]> targets = new ArrayList<>();
            for (ElfSection s : elf.sections()) {
                if ((s.name().startsWith(".debug_") || s.name().startsWith(".rela.debug_")) && s.size() > 0) {
                    targets.add(new long[] {s.offset(), s.size()});
                }
            }
            assertThat(targets).as(object.toString()).isNotEmpty();
            SplittableRandom random = new SplittableRandom(seed++);
            for (int m = 0; m < MUTANTS_PER_OBJECT; m++) {
                byte[] bytes = original.clone();
                int edits = 1 + random.nextInt(8);
                for (int e = 0; e < edits; e++) {
                    long[] t = targets.get(random.nextInt(targets.size()));
                    int at = (int) (t[0] + random.nextLong(t[1]));
                    bytes[at] = switch (random.nextInt(4)) {
                        case 0 -> (byte) 0xff;
                        case 1 -> 0;
                        case 2 -> (byte) (bytes[at] ^ (1 << random.nextInt(8)));
                        default -> (byte) random.nextInt(256);
                    };
                }
                ElfFile mutant;
                try {
                    mutant = ElfFile.parse("mutant", bytes);
                } catch (ElfFormatException e) {
                    continue; // the ELF reader's own checks (relocation symbol indices) caught it
                }
                try {
                    DebugInfo d = DebugInfo.parse(mutant, i -> OptionalLong.of(0x1000_0000L + i * 0x1000L),
                            InfoReader.Limits.DEFAULT);
                    parsed++;
                    for (long a = 0x1000_0000L; a < 0x1000_4000L; a += 61) {
                        d.lookup(a);
                    }
                } catch (DwarfFormatException e) {
                    rejected++;
                    assertThat(e.getMessage()).doesNotContain("\n").isNotBlank();
                } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                    fail("mutant " + m + " of " + object.getFileName() + " (seed " + (seed - 1) + "): " + e, e);
                }
            }
        }
        assertThat(parsed).as("mutants read").isGreaterThan(100);
        assertThat(rejected).as("mutants rejected with one line").isGreaterThan(100);
    }

    private List<Path> objects() throws IOException {
        for (String f : List.of("inlines.c", "inlines.h")) {
            try (InputStream in = getClass().getResourceAsStream(f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        List<Path> out = new ArrayList<>();
        int n = 0;
        for (List<String> cc : List.of(List.of("gcc"), List.of("clang", "--target=x86_64-linux-gnu"),
                List.of("aarch64-linux-gnu-gcc"), List.of("clang", "--target=aarch64-linux-gnu"))) {
            for (String dwarf : List.of("-gdwarf-4", "-gdwarf-5")) {
                Path o = dir.resolve("m" + n++ + ".o");
                List<String> cmd = new ArrayList<>(cc);
                cmd.addAll(List.of("-c", "-O2", "-ffreestanding", "-fno-pic", dwarf,
                        dir.resolve("inlines.c").toString(), "-o", o.toString()));
                Addr2Line.run(cmd);
                out.add(o);
            }
        }
        return out;
    }
}
