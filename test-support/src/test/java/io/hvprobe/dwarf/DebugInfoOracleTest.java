package io.hvprobe.dwarf;

import static org.assertj.core.api.Assertions.assertThat;

import io.hvprobe.arch.Arch;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.loader.ImageLoader;
import io.hvprobe.loader.LoadOptions;
import java.io.IOException;
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
 * Every byte of every function of a small program with nested inlining across a header, compiled by gcc and
 * clang for both architectures with DWARF 4 and 5 (plus zlib-compressed sections and one section per function),
 * maps to the same function, file and line chain as binutils' {@code addr2line -f -i} gives.
 */
class DebugInfoOracleTest {
    @TempDir
    Path dir;

    static Stream<Arguments> builds() {
        List<Arguments> out = new ArrayList<>();
        for (String[] compiler : List.of(new String[] {"gcc"}, new String[] {"clang", "--target=x86_64-linux-gnu"},
                new String[] {"aarch64-linux-gnu-gcc"}, new String[] {"clang", "--target=aarch64-linux-gnu"})) {
            Arch arch = String.join(" ", compiler).contains("aarch64") ? Arch.ARM64 : Arch.X86_64;
            for (String dwarf : List.of("-gdwarf-4", "-gdwarf-5")) {
                for (String opt : List.of("-O0", "-O2")) {
                    out.add(Arguments.of(arch, List.of(compiler), List.of(dwarf, opt)));
                }
                out.add(Arguments.of(arch, List.of(compiler), List.of(dwarf, "-O2", "-gz=zlib")));
                out.add(Arguments.of(arch, List.of(compiler), List.of(dwarf, "-O2", "-ffunction-sections")));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} {2}")
    @MethodSource("builds")
    void everyCodeByteMatchesAddr2line(Arch arch, List<String> compiler, List<String> flags) throws Exception {
        Path object = compile(compiler, flags);
        GuestImage image = ImageLoader.load(object, LoadOptions.defaults());
        assertThat(image.debug().info().isPresent()).as(image.debug().info().summary()).isTrue();
        List<Long> addresses = new ArrayList<>();
        for (GuestSymbol f : image.functions()) {
            for (long o = 0; o < f.size(); o++) {
                addresses.add(f.address() + o);
            }
        }
        SourceOracle.Result r = SourceOracle.compare(object, image, addresses);
        assertThat(r.mismatches()).as("%d addresses, %d as addr2line, %d as llvm-addr2line", r.compared(),
                r.byBinutils(), r.byLlvm()).isEmpty();
        assertThat(r.compared()).isGreaterThan(100);
    }

    private Path compile(List<String> compiler, List<String> flags) throws IOException {
        for (String f : List.of("inlines.c", "inlines.h")) {
            Path p = dir.resolve(f);
            if (!Files.exists(p)) {
                try (InputStream in = getClass().getResourceAsStream(f)) {
                    Files.copy(in, p);
                }
            }
        }
        Path out = dir.resolve("inlines.o");
        List<String> cmd = new ArrayList<>(compiler);
        cmd.addAll(List.of("-c", "-ffreestanding", "-fno-pic", "-fno-asynchronous-unwind-tables"));
        cmd.addAll(flags);
        cmd.addAll(List.of(dir.resolve("inlines.c").toString(), "-o", out.toString()));
        Addr2Line.run(cmd);
        return out;
    }
}
