package io.hvprobe.dwarf;

import static org.assertj.core.api.Assertions.assertThat;

import io.hvprobe.arch.Arch;
import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.ElfSymbol;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.loader.ImageKind;
import io.hvprobe.loader.ImageLoader;
import io.hvprobe.loader.LoadOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Linked files: an {@code ET_EXEC} at its link address and an {@code ET_DYN} moved to the load base give, for
 * every byte of every function, the frames {@code addr2line -f -i} gives for the file address (or
 * {@code llvm-addr2line}'s where binutils 2.40 drops clang's {@code DW_FORM_rnglistx} inline ranges).
 */
class LinkedDebugInfoTest {
    @TempDir
    Path dir;

    static Stream<Arguments> builds() {
        List<Arguments> out = new ArrayList<>();
        for (String dwarf : List.of("-gdwarf-4", "-gdwarf-5")) {
            for (String kind : List.of("exec", "shared")) {
                out.add(Arguments.of(Arch.X86_64, List.of("gcc"), dwarf, kind));
                out.add(Arguments.of(Arch.X86_64, List.of("clang", "--target=x86_64-linux-gnu"), dwarf, kind));
                out.add(Arguments.of(Arch.ARM64, List.of("aarch64-linux-gnu-gcc"), dwarf, kind));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} {2} {3}")
    @MethodSource("builds")
    void everyFunctionByteMatchesAddr2line(Arch arch, List<String> compiler, String dwarf, String kind)
            throws Exception {
        for (String f : List.of("inlines.c", "inlines.h")) {
            try (InputStream in = getClass().getResourceAsStream(f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        Path object = dir.resolve("inlines.o");
        List<String> cc = new ArrayList<>(compiler);
        cc.addAll(List.of("-c", "-O2", "-fPIC", "-ffreestanding", dwarf, dir.resolve("inlines.c").toString(), "-o",
                object.toString()));
        Addr2Line.run(cc);
        Path linked = dir.resolve("inlines." + kind);
        String ld = arch == Arch.X86_64 ? "ld" : "aarch64-linux-gnu-ld";
        Addr2Line.run(kind.equals("exec") ? List.of(ld, "-e", "entry", "-o", linked.toString(), object.toString())
                : List.of(ld, "-shared", "-o", linked.toString(), object.toString()));
        GuestImage image = ImageLoader.load(linked, LoadOptions.defaults());
        assertThat(image.kind()).isEqualTo(kind.equals("exec") ? ImageKind.EXECUTABLE : ImageKind.SHARED_OBJECT);
        ElfFile elf = ElfFile.parse("linked", Files.readAllBytes(linked));
        long entryInFile = elf.staticSymbols().orElseThrow().symbols().stream()
                .filter(s -> s.name().equals("entry")).mapToLong(ElfSymbol::value).findFirst().orElseThrow();
        long bias = image.symbol("entry").orElseThrow().address() - entryInFile;
        List<Long> fileAddresses = new ArrayList<>();
        for (GuestSymbol f : image.functions()) {
            for (long o = 0; o < f.size(); o++) {
                fileAddresses.add(f.address() - bias + o);
            }
        }
        List<List<Addr2Line.Frame>> binutils = Addr2Line.lookup(arch, linked, null, fileAddresses);
        List<String> cmd = new ArrayList<>(List.of("llvm-addr2line", "-a", "-f", "-i", "-e", linked.toString()));
        fileAddresses.forEach(a -> cmd.add("0x" + Long.toHexString(a)));
        List<List<Addr2Line.Frame>> llvm = Addr2Line.parseOutput(Addr2Line.run(cmd));
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < fileAddresses.size(); i++) {
            List<Addr2Line.Frame> ours = Addr2Line.frames(image.source(fileAddresses.get(i) + bias));
            if (!ours.equals(binutils.get(i)) && !SourceOracle.normalized(ours).equals(SourceOracle.normalized(llvm.get(i)))) {
                mismatches.add("0x" + Long.toHexString(fileAddresses.get(i)) + ": hvprobe " + ours + ", addr2line "
                        + binutils.get(i) + ", llvm-addr2line " + llvm.get(i));
            }
        }
        assertThat(mismatches).as("%d addresses", fileAddresses.size()).isEmpty();
        assertThat(fileAddresses.size()).isGreaterThan(100);
    }
}
